"""Front-end libraries: served from the npm install, nothing else in node_modules."""


def _get(client, path):
    with client.get(path) as response:
        return response.status_code, response.get_data()


def test_the_bpmn_js_bundles_come_from_the_npm_install(app):
    client = app.test_client()
    status, body = _get(client, "/vendor/bpmn-js/bpmn-viewer.production.min.js")
    assert status == 200 and b"BpmnJS" in body
    assert _get(client, "/vendor/bpmn-js/bpmn-modeler.production.min.js")[0] == 200
    assert _get(client, "/vendor/bpmn-js/assets/bpmn-js.css")[0] == 200


def test_nothing_outside_the_served_bundles_is_reachable(app):
    client = app.test_client()
    assert _get(client, "/vendor/bpmn-js/../package.json")[0] == 404
    assert _get(client, "/vendor/bpmn-js/%2e%2e/package.json")[0] == 404
    assert _get(client, "/vendor/diagram-js/index.js")[0] == 404
