/* The managers' instance page: the process version's diagram drawn by bpmn-js
 * (NavigatedViewer: pan and zoom, no editing) with each element's state as a
 * marker class: vicon-completed, vicon-current, vicon-failed. It opens fitted
 * to its box; when that is too small to read, it opens on the current step
 * instead, centred at a readable scale. Buttons zoom in, out, to the whole
 * diagram and back to the current step. */
(function () {
  'use strict';

  var READABLE = 0.75;  // below this scale the step names cannot be read
  var STEP = 1.25;
  var root = document.getElementById('diagram');
  if (!root || !window.BpmnJS) { return; }
  var state = JSON.parse(document.getElementById('diagram-state').textContent);
  var tools = document.querySelector('.diagram-tools');
  var viewer = new window.BpmnJS({ container: root });

  function mark(canvas, registry, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  function centre(canvas) {
    var box = canvas.viewbox();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  function showElements(canvas, registry, ids, scale) {
    var shapes = ids.map(function (id) { return registry.get(id); }).filter(function (shape) {
      return shape && shape.width !== undefined;
    });
    if (!shapes.length) { return false; }
    var left = Math.min.apply(null, shapes.map(function (s) { return s.x; }));
    var top = Math.min.apply(null, shapes.map(function (s) { return s.y; }));
    var right = Math.max.apply(null, shapes.map(function (s) { return s.x + s.width; }));
    var bottom = Math.max.apply(null, shapes.map(function (s) { return s.y + s.height; }));
    canvas.zoom(scale);
    var box = canvas.viewbox();
    canvas.viewbox({ x: (left + right - box.width) / 2, y: (top + bottom - box.height) / 2,
                     width: box.width, height: box.height });
    return true;
  }

  function record(canvas, view) {
    root.dataset.zoom = canvas.zoom().toFixed(2);
    root.dataset.view = view;
  }

  viewer.importXML(state.bpmn).then(function () {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var focus = state.failed.concat(state.current);
    mark(canvas, registry, state.completed, 'vicon-completed');
    mark(canvas, registry, state.current, 'vicon-current');
    mark(canvas, registry, state.failed, 'vicon-failed');
    var fitted = canvas.zoom('fit-viewport', 'auto');
    if (fitted < READABLE && showElements(canvas, registry, focus, READABLE)) {
      record(canvas, 'current');
    } else {
      record(canvas, 'fit');
    }
    if (tools) {
      tools.hidden = false;
      tools.addEventListener('click', function (event) {
        var action = event.target.closest('button[data-zoom]');
        if (!action) { return; }
        var kind = action.dataset.zoom;
        if (kind === 'in') { canvas.zoom(canvas.zoom() * STEP, centre(canvas)); }
        if (kind === 'out') { canvas.zoom(canvas.zoom() / STEP, centre(canvas)); }
        if (kind === 'fit') { canvas.zoom('fit-viewport', 'auto'); }
        if (kind === 'current') { showElements(canvas, registry, focus, Math.max(canvas.zoom(), READABLE)); }
        record(canvas, kind);
      });
    }
    root.dataset.ready = '1';
  }).catch(function (error) {
    root.dataset.ready = 'error';
    root.textContent = root.dataset.failed + ' ' + error.message;
  });
}());
