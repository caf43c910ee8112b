/* vicon's BPMN modeler page: bpmn-js Modeler, problems on the diagram, a small
 * side panel for what the lint needs, drafts and deploys through the page's
 * JSON endpoints (session cookie + X-CSRF-Token header).
 *
 * spiffworkflow:* extension elements stay generic moddle elements (bpmn-moddle
 * keeps unknown namespaced XML as is); new ones are made with moddle.createAny. */
(function () {
  'use strict';

  var SPIFF = 'http://spiffworkflow.org/bpmn/schema/1.0/core';
  var VALIDATE_DELAY_MS = 500;

  var root = document.getElementById('modeler');
  var T = JSON.parse(document.getElementById('modeler-text').textContent);
  var base = root.dataset.base;
  var key = root.dataset.key;
  var statusLine = document.getElementById('modeler-status');
  var deployButton = root.querySelector('[data-action="deploy"]');
  var form = document.getElementById('element-form');

  var modeler = new window.BpmnJS({ container: '#modeler-canvas', keyboard: { bindTo: window } });
  var canvas = modeler.get('canvas');
  var modeling = modeler.get('modeling');
  var registry = modeler.get('elementRegistry');
  var moddle = modeler.get('moddle');
  var overlays = modeler.get('overlays');
  var selection = modeler.get('selection');

  var state = {
    forms: {}, catalogue: { operators: [], form_files: [], lanes: [] },
    problems: [], marked: [], revision: 0, validRevision: -1, busy: false, selected: null,
    version: root.dataset.version, timer: null, checks: 0, fieldError: false
  };
  window.viconModeler = { modeler: modeler, state: state, validate: validate };

  // -- talking to the server ---------------------------------------------------

  function say(text, kind) {
    statusLine.textContent = text;
    statusLine.className = 'modeler-status' + (kind ? ' ' + kind : '');
  }

  function getJson(path) {
    return fetch(base + path, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(answer);
  }

  function post(path) {
    return modeler.saveXML({ format: true }).then(function (saved) {
      var body = new FormData();
      body.append('bpmn', new Blob([saved.xml], { type: 'application/xml' }), key + '.bpmn');
      body.append('forms', JSON.stringify(state.forms));
      return fetch(base + path, {
        method: 'POST', body: body, credentials: 'same-origin',
        headers: { 'X-CSRF-Token': root.dataset.csrf, Accept: 'application/json' }
      });
    }).then(answer);
  }

  function answer(response) {
    var type = response.headers.get('Content-Type') || '';
    if (response.status === 401) { return Promise.reject(new Error(T.signed_out)); }
    if (type.indexOf('application/json') < 0) { return Promise.reject(new Error(T.failed)); }
    return response.json().then(function (data) { return { status: response.status, data: data }; });
  }

  function failed(error) {
    state.busy = false;
    refreshDeploy();
    say(error && error.message ? error.message : T.failed, 'bad');
  }

  // -- loading -------------------------------------------------------------------

  function load() {
    var query = root.dataset.draft ? '?draf=' + root.dataset.draft :
      root.dataset.version ? '?versi=' + root.dataset.version : '';
    Promise.all([getJson('/sumber' + query), getJson('/katalog')]).then(function (got) {
      if (got[0].status !== 200) { throw new Error(got[0].data.error || T.failed); }
      state.forms = got[0].data.forms || {};
      if (got[1].status === 200) { state.catalogue = got[1].data; }
      return open(got[0].data.bpmn);
    }).then(function () { say(T.loaded); }).catch(failed);
  }

  function open(xml) {
    return modeler.importXML(xml).then(function () {
      canvas.zoom('fit-viewport', 'auto');
      state.marked = [];
      changed();
    });
  }

  // -- validation and problems -------------------------------------------------

  function changed() {
    state.revision += 1;
    refreshDeploy();
    clearTimeout(state.timer);
    state.timer = setTimeout(validate, VALIDATE_DELAY_MS);
    if (state.selected) { renderPanel(state.selected); }
  }

  function validate() {
    var revision = state.revision;
    say(T.checking);
    return post('/validasi').then(function (got) {
      if (got.status !== 200) { throw new Error(got.data.error || T.failed); }
      if (revision !== state.revision) { return; }  // edited meanwhile: a newer check follows
      showProblems(got.data.problems);
      state.validRevision = revision;
      state.checks += 1;
      refreshDeploy();
      say(got.data.problems.length ? T.problems : T.valid, got.data.problems.length ? 'bad' : 'good');
    }).catch(failed);
  }

  function refreshDeploy() {
    deployButton.disabled = state.busy || state.fieldError || state.problems.length > 0 ||
      state.validRevision !== state.revision;
  }

  function showProblems(problems) {
    state.marked.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, 'vicon-problem'); } });
    overlays.remove({ type: 'vicon-problem' });
    state.problems = problems;
    state.marked = [];
    var byElement = {};
    problems.forEach(function (p) {
      if (p.element_id && registry.get(p.element_id)) {
        (byElement[p.element_id] = byElement[p.element_id] || []).push(p.message);
      }
    });
    Object.keys(byElement).forEach(function (id) {
      canvas.addMarker(id, 'vicon-problem');
      state.marked.push(id);
      var badge = document.createElement('div');
      badge.className = 'vicon-problem-badge';
      badge.setAttribute('title', byElement[id].join('\n'));
      badge.textContent = byElement[id].length > 1 ? '!' + byElement[id].length : '!';
      var tip = document.createElement('span');
      tip.className = 'vicon-problem-tip';
      tip.textContent = byElement[id].join(' · ');
      badge.appendChild(tip);
      overlays.add(id, 'vicon-problem', { position: { top: -12, right: 12 }, html: badge });
    });
    renderProblemList(problems);
  }

  function renderProblemList(problems) {
    var list = document.getElementById('problem-list');
    var panel = document.getElementById('problem-panel');
    list.textContent = '';
    panel.querySelector('[data-count]').textContent = String(problems.length);
    panel.querySelector('[data-none]').hidden = problems.length > 0;
    problems.forEach(function (p) {
      var item = document.createElement('li');
      var element = p.element_id && registry.get(p.element_id);
      if (element) {
        var go = document.createElement('button');
        go.type = 'button';
        go.className = 'link';
        go.textContent = p.element_id + (element.businessObject.name ? ' — ' + element.businessObject.name : '');
        go.addEventListener('click', function () { focus(element); });
        item.appendChild(go);
      } else {
        var where = document.createElement('strong');
        where.textContent = (p.element_id || T.diagram);
        item.appendChild(where);
      }
      var message = document.createElement('span');
      message.className = 'problem-message';
      message.textContent = p.message;
      item.appendChild(message);
      list.appendChild(item);
    });
  }

  function focus(element) {
    selection.select(element);
    if (canvas.scrollToElement) { canvas.scrollToElement(element, { top: 120, bottom: 120, left: 120, right: 120 }); }
  }

  // -- extension elements (generic spiffworkflow:* moddle elements) --------

  function isSpiff(node, localName) {
    var ns = node && node.$descriptor && node.$descriptor.ns;
    return !!ns && ns.localName === localName && (ns.uri === SPIFF || ns.prefix === 'spiffworkflow');
  }

  function extValues(bo) { return (bo.extensionElements && bo.extensionElements.values) || []; }

  function findExt(bo, localName) {
    return extValues(bo).filter(function (v) { return isSpiff(v, localName); })[0];
  }

  function children(node) { return node.$children || []; }

  function property(bo, name) {
    var props = findExt(bo, 'properties');
    return props && children(props).filter(function (c) { return isSpiff(c, 'property') && c.name === name; })[0];
  }

  function ensureExtensions(element) {
    var bo = element.businessObject;
    if (!bo.extensionElements) {
      var ext = moddle.create('bpmn:ExtensionElements', { values: [] });
      ext.$parent = bo;
      modeling.updateProperties(element, { extensionElements: ext });
    }
    return bo.extensionElements;
  }

  function addExt(element, localName, attrs) {
    var ext = ensureExtensions(element);
    var node = moddle.createAny('spiffworkflow:' + localName, SPIFF, attrs || {});
    node.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: ext.get('values').concat([node]) });
    return node;
  }

  function setProperty(element, name, value) {
    var bo = element.businessObject;
    var current = property(bo, name);
    if (current) {
      var props = current.$parent || findExt(bo, 'properties');
      if (!value) {
        modeling.updateModdleProperties(element, props, {
          $children: children(props).filter(function (c) { return c !== current; }) });
      } else if (current.value !== value) {
        modeling.updateModdleProperties(element, current, { value: value });
      }
      return;
    }
    if (!value) { return; }
    var container = findExt(bo, 'properties') || addExt(element, 'properties');
    var made = moddle.createAny('spiffworkflow:property', SPIFF, { name: name, value: value });
    made.$parent = container;
    modeling.updateModdleProperties(element, container, { $children: children(container).concat([made]) });
  }

  function setBody(element, localName, value) {
    var node = findExt(element.businessObject, localName);
    if (node) {
      if ((node.$body || '') !== value) { modeling.updateModdleProperties(element, node, { $body: value }); }
    } else if (value) {
      addExt(element, localName, { $body: value });
    }
  }

  function setOperator(element, name) {
    var node = findExt(element.businessObject, 'serviceTaskOperator');
    if (node) {
      if (node.id !== name) { modeling.updateModdleProperties(element, node, { id: name }); }
    } else if (name) {
      addExt(element, 'serviceTaskOperator', { id: name });
    }
  }

  // -- time standards and their boundary timers -------------------------------

  function boundaryTimers(element) {
    return (element.attachers || []).filter(function (b) {
      var defs = b.businessObject.eventDefinitions || [];
      return defs.some(function (d) { return d.$type === 'bpmn:TimerEventDefinition'; });
    });
  }

  function timerOf(boundary) {
    return boundary.businessObject.eventDefinitions.filter(function (d) {
      return d.$type === 'bpmn:TimerEventDefinition';
    })[0];
  }

  function alignTimers(element, standard) {
    // the lint wants every boundary timer of a timed step at timeDate due_<step id>;
    // the escalation it leads to records the standard, so that follows too
    var expected = 'due_' + element.id;
    boundaryTimers(element).forEach(function (boundary) {
      var timer = timerOf(boundary);
      if (!(timer.timeDate && timer.timeDate.body === expected && !timer.timeDuration && !timer.timeCycle)) {
        var date = moddle.create('bpmn:FormalExpression', { body: expected });
        date.$parent = timer;
        modeling.updateModdleProperties(boundary, timer, { timeDate: date, timeDuration: undefined, timeCycle: undefined });
      }
      (boundary.outgoing || []).forEach(function (flow) { alignEscalation(flow.target, element.id, standard); });
    });
  }

  function alignEscalation(task, stepId, standard) {
    var operator = task && findExt(task.businessObject, 'serviceTaskOperator');
    if (!operator || operator.id !== 'notify/escalate') { return; }
    var wanted = { step: JSON.stringify(stepId), standard: JSON.stringify(standard) };
    children(operator).filter(function (c) { return isSpiff(c, 'parameters'); }).forEach(function (params) {
      children(params).forEach(function (param) {
        if (isSpiff(param, 'parameter') && wanted[param.id] && param.value !== wanted[param.id]) {
          modeling.updateModdleProperties(task, param, { value: wanted[param.id] });
        }
      });
    });
  }

  function addDeadline(element) {
    // the SOP's pattern: a non-interrupting boundary timer at due_<step id> that
    // records an escalation (notify/escalate) and ends there
    var bpmnFactory = modeler.get('bpmnFactory');
    var standard = (property(element.businessObject, 'timeStandard') || {}).value;
    var date = bpmnFactory.create('bpmn:FormalExpression', { body: 'due_' + element.id });
    var timer = bpmnFactory.create('bpmn:TimerEventDefinition', { timeDate: date });
    date.$parent = timer;
    var event = bpmnFactory.create('bpmn:BoundaryEvent', { cancelActivity: false, eventDefinitions: [timer] });
    timer.$parent = event;
    var boundary = modeling.createShape({ type: 'bpmn:BoundaryEvent', businessObject: event },
      { x: element.x + element.width - 18, y: element.y + element.height }, element, { attach: true });
    modeling.updateLabel(boundary, T.deadline + ' ' + standard);
    var escalation = modeling.appendShape(boundary, { type: 'bpmn:ServiceTask' },
      { x: boundary.x + 110, y: boundary.y + 110 });
    modeling.updateLabel(escalation, T.escalation);
    var operator = addExt(escalation, 'serviceTaskOperator',
      { id: 'notify/escalate', resultVariable: 'escalation_' + element.id });
    var params = moddle.createAny('spiffworkflow:parameters', SPIFF, {});
    params.$parent = operator;
    params.$children = [['step', element.id], ['standard', standard]].map(function (pair) {
      var param = moddle.createAny('spiffworkflow:parameter', SPIFF,
        { id: pair[0], type: 'str', value: JSON.stringify(pair[1]) });
      param.$parent = params;
      return param;
    });
    modeling.updateModdleProperties(escalation, operator, { $children: [params] });
    modeling.appendShape(escalation, { type: 'bpmn:EndEvent' }, { x: escalation.x + escalation.width + 80, y: escalation.y + escalation.height / 2 });
    selection.select(element);
  }

  // -- the side panel --------------------------------------------------------------

  function field(name) { return form.elements[name]; }

  function show(name, visible) {
    form.querySelector('[data-for="' + name + '"]').hidden = !visible;
  }

  function option(select, value, label) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function formKeys() {
    var names = state.catalogue.form_files.concat(Object.keys(state.forms));
    var keys = {};
    names.forEach(function (n) { if (/\.schema\.json$/.test(n)) { keys[n.replace(/\.schema\.json$/, '')] = true; } });
    return Object.keys(keys).sort();
  }

  function fileKnown(name) {
    return state.catalogue.form_files.indexOf(name) >= 0 || Object.prototype.hasOwnProperty.call(state.forms, name);
  }

  function renderPanel(element) {
    var bo = element && element.businessObject;
    // the root (process or collaboration) has no parent; labels edit their owner
    var editable = !!bo && element.type !== 'label' && !!element.parent;
    document.querySelector('#element-panel [data-empty]').hidden = !!editable;
    form.hidden = !editable;
    if (!editable) { return; }
    form.querySelector('[data-field="id"]').textContent = element.id;
    form.querySelector('[data-field="type"]').textContent = element.type.replace('bpmn:', '');
    var isLane = element.type === 'bpmn:Lane';
    var isUser = element.type === 'bpmn:UserTask' || (element.type === 'bpmn:StartEvent' && !!property(bo, 'formJsonSchemaFilename'));
    var isService = element.type === 'bpmn:ServiceTask';
    var isActivity = /Task$|^bpmn:SubProcess$|^bpmn:CallActivity$/.test(element.type);

    var name = field('name');
    name.value = bo.name || '';
    name.setAttribute('list', isLane ? 'lane-names' : '');

    show('form', isUser);
    show('variable', element.type === 'bpmn:UserTask');
    if (isUser) {
      var select = field('form');
      select.textContent = '';
      option(select, '', T.none);
      var chosen = property(bo, 'formJsonSchemaFilename');
      var chosenKey = chosen ? chosen.value.replace(/\.json$/, '').replace(/\.schema$/, '') : '';
      var keys = formKeys();
      if (chosenKey && keys.indexOf(chosenKey) < 0) { keys.push(chosenKey); }
      keys.forEach(function (k) { option(select, k, k); });
      select.value = chosenKey;
      var variable = findExt(bo, 'variableName');
      field('variable').value = variable ? (variable.$body || '') : '';
    }

    show('operator', isService);
    if (isService) {
      var ops = field('operator');
      ops.textContent = '';
      option(ops, '', T.none);
      var current = findExt(bo, 'serviceTaskOperator');
      var currentName = current ? current.id : '';
      var known = state.catalogue.operators.map(function (o) { return o.name; });
      state.catalogue.operators.forEach(function (o) { option(ops, o.name, o.name + ' — ' + o.description); });
      if (currentName && known.indexOf(currentName) < 0) { option(ops, currentName, currentName + ' (?)'); }
      ops.value = currentName;
    }

    show('standard', isActivity);
    show('timers', isActivity);
    show('deadline', false);
    form.querySelector('[data-error="standard"]').hidden = true;
    state.fieldError = false;
    if (isActivity) {
      var standard = property(bo, 'timeStandard');
      field('standard').value = standard ? standard.value : '';
      var timers = boundaryTimers(element).map(function (b) {
        var t = timerOf(b);
        var text = t.timeDate ? 'timeDate ' + t.timeDate.body : t.timeDuration ? 'timeDuration ' + t.timeDuration.body : '?';
        return b.id + ' (' + text + ')';
      });
      form.querySelector('[data-for="timers"]').textContent = !standard ? '' :
        timers.length ? T.timers + ': ' + timers.join(', ') : T.no_timer + ' due_' + element.id + '.';
      form.querySelector('[data-for="deadline"]').hidden = !standard || timers.length > 0;
    }
    ensureLaneList();
  }

  function ensureLaneList() {
    if (document.getElementById('lane-names')) { return; }
    var list = document.createElement('datalist');
    list.id = 'lane-names';
    state.catalogue.lanes.forEach(function (l) { option(list, l, l); });
    form.appendChild(list);
  }

  function apply(name) {
    var element = state.selected;
    if (!element) { return; }
    var value = (field(name).value || '').trim();
    var bo = element.businessObject;
    if (name === 'name' && value !== (bo.name || '')) {
      modeling.updateLabel(element, value);
    } else if (name === 'form') {
      setProperty(element, 'formJsonSchemaFilename', value ? value + '.schema.json' : '');
      setProperty(element, 'formUiSchemaFilename',
        value && fileKnown(value + '.uischema.json') ? value + '.uischema.json' : '');
    } else if (name === 'variable') {
      setBody(element, 'variableName', value);
    } else if (name === 'operator') {
      setOperator(element, value);
    } else if (name === 'standard') {
      // the engine's grammar (from the catalogue): the deploy's validation has the last word
      var grammar = state.catalogue.duration_pattern;
      var bad = !!value && !!grammar && !new RegExp(grammar).test(value);
      form.querySelector('[data-error="standard"]').hidden = !bad;
      field('standard').setAttribute('aria-invalid', bad ? 'true' : 'false');
      state.fieldError = bad;  // what the panel shows is not in the diagram: no deploy
      refreshDeploy();
      if (bad) { return; }
      setProperty(element, 'timeStandard', value);
      if (value) { alignTimers(element, value); }
    }
  }

  form.addEventListener('change', function (event) { apply(event.target.name); });
  form.querySelector('[data-for="deadline"]').addEventListener('click', function () {
    if (state.selected) { addDeadline(state.selected); }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    ['name', 'variable', 'standard'].forEach(function (n) { if (!form.querySelector('[data-for="' + n + '"]').hidden) { apply(n); } });
  });

  modeler.on('selection.changed', function (event) {
    state.selected = event.newSelection.length === 1 ? event.newSelection[0] : null;
    renderPanel(state.selected);
  });
  modeler.on('commandStack.changed', changed);

  // -- toolbar ------------------------------------------------------------------------

  function saveDraft() {
    state.busy = true;
    refreshDeploy();
    post('/draf').then(function (got) {
      state.busy = false;
      if (got.status !== 201) { throw new Error(got.data.error || T.failed); }
      showProblems(got.data.problems);
      refreshDeploy();
      addDraftLink(got.data);
      say(T.saved + ' #' + got.data.id + ' (' + got.data.problems.length + ')', 'good');
    }).catch(failed);
  }

  function addDraftLink(draft) {
    var list = document.getElementById('draft-list');
    var empty = list.querySelector('.hint');
    if (empty) { empty.remove(); }
    var item = document.createElement('li');
    var link = document.createElement('a');
    link.href = base + '?draf=' + draft.id;
    link.textContent = '#' + draft.id;
    item.appendChild(link);
    item.appendChild(document.createTextNode(' ' + draft.saved_by + ' · ' + draft.problems.length));
    list.insertBefore(item, list.firstChild);
  }

  function deploy() {
    if (deployButton.disabled) { return; }
    state.busy = true;
    refreshDeploy();
    post('/terapkan').then(function (got) {
      state.busy = false;
      if (got.status === 422) {
        showProblems(got.data.problems);
        refreshDeploy();
        say(T.refused, 'bad');
        return;
      }
      if (got.status !== 201 && got.status !== 200) { throw new Error(got.data.error || T.failed); }
      state.version = String(got.data.version);
      root.dataset.version = state.version;
      root.dataset.draft = '';
      showVersion(got.data.version);
      if (got.data.created) { offerMigration(got.data.version); }
      refreshDeploy();
      say(got.data.created ? T.deployed + ' ' + got.data.version + '.' : T.unchanged + ' (' + got.data.version + ').', 'good');
    }).catch(failed);
  }

  function showVersion(number) {
    var label = T.version.replace('{n}', number);
    root.querySelector('h1 small').textContent = label;
    var list = document.getElementById('version-list');
    var href = base + '?versi=' + number;
    if (list.querySelector('a[href="' + href + '"]')) { return; }
    var item = document.createElement('li');
    var link = document.createElement('a');
    link.href = href;
    link.textContent = label;
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
  }

  function offerMigration(number) {
    var box = document.getElementById('after-deploy');
    var link = box.querySelector('a');
    link.href = link.getAttribute('href').split('?')[0] + '?ke=' + number;
    box.hidden = false;
  }

  function download() {
    modeler.saveXML({ format: true }).then(function (saved) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([saved.xml], { type: 'application/xml' }));
      link.download = key + '.bpmn';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    });
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsText(file);
    });
  }

  document.getElementById('upload-bpmn').addEventListener('change', function (event) {
    var file = event.target.files[0];
    if (!file) { return; }
    readFile(file).then(open).then(function () { say(T.loaded + ' (' + file.name + ')'); })
      .catch(function (error) { say(T.import_failed + ': ' + (error.message || error), 'bad'); });
    event.target.value = '';
  });

  document.getElementById('upload-forms').addEventListener('change', function (event) {
    var files = Array.prototype.slice.call(event.target.files);
    Promise.all(files.map(readFile)).then(function (texts) {
      var names = [];
      texts.forEach(function (text, i) {
        JSON.parse(text);  // refuse what is not JSON before it is sent anywhere
        state.forms[files[i].name] = text;
        names.push(files[i].name);
      });
      say(T.forms_added + ': ' + names.join(', '), 'good');
      changed();
    }).catch(function (error) { say(T.import_failed + ': ' + (error.message || error), 'bad'); });
    event.target.value = '';
  });

  root.querySelector('.modeler-toolbar').addEventListener('click', function (event) {
    var action = event.target.getAttribute && event.target.getAttribute('data-action');
    if (action === 'validate') { validate(); }
    if (action === 'save') { saveDraft(); }
    if (action === 'deploy') { deploy(); }
    if (action === 'download') { download(); }
  });

  load();
}());
