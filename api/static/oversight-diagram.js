/* The managers' instance page: the process version's diagram drawn by bpmn-js
 * (NavigatedViewer: pan and zoom, no editing) with each element's state as a
 * marker class: vicon-completed, vicon-current, vicon-failed. */
(function () {
  'use strict';

  var root = document.getElementById('diagram');
  if (!root || !window.BpmnJS) { return; }
  var state = JSON.parse(document.getElementById('diagram-state').textContent);
  var xml = state.bpmn;
  var viewer = new window.BpmnJS({ container: root });

  function mark(canvas, registry, ids, marker) {
    ids.forEach(function (id) {
      if (registry.get(id)) { canvas.addMarker(id, marker); }
    });
  }

  viewer.importXML(xml).then(function () {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    mark(canvas, registry, state.completed, 'vicon-completed');
    mark(canvas, registry, state.current, 'vicon-current');
    mark(canvas, registry, state.failed, 'vicon-failed');
    canvas.zoom('fit-viewport');
    root.dataset.ready = '1';
  }).catch(function (error) {
    root.dataset.ready = 'error';
    root.textContent = root.dataset.failed + ' ' + error.message;
  });
}());
