"""The OpenAPI document: JSON, generated from the schemas, naming every route."""
import json

EXPECTED = {
    "/api/v1/auth/token": {"post"},
    "/api/v1/openapi.json": {"get"},
    "/api/v1/process-definitions": {"get", "post"},
    "/api/v1/process-definitions/validate": {"post"},
    "/api/v1/process-definitions/{key}/versions": {"get"},
    "/api/v1/process-definitions/{key}/versions/{version}/bpmn": {"get"},
    "/api/v1/process-definitions/{key}/migrations/dry-run": {"post"},
    "/api/v1/process-definitions/{key}/migrations": {"post"},
    "/api/v1/process-definitions/{key}/instances": {"post"},
    "/api/v1/tasks": {"get"},
    "/api/v1/tasks/{task_id}": {"get"},
    "/api/v1/tasks/{task_id}/complete": {"post"},
    "/api/v1/instances": {"get"},
    "/api/v1/instances/{instance_id}": {"get"},
    "/api/v1/instances/{instance_id}/events": {"get"},
    "/api/v1/instances/{instance_id}/diagram": {"get"},
    "/api/v1/instances/{instance_id}/letters/draft.pdf": {"get", "post"},
    "/api/v1/instances/{instance_id}/letters/{letter_id}.pdf": {"get"},
    "/api/v1/instances/{instance_id}/disposition.pdf": {"get"},
    "/api/v1/incidents": {"get"},
    "/api/v1/jobs/{job_id}/retry": {"post"},
    "/api/v1/instances/{instance_id}/withdraw": {"post"},
    "/api/v1/instances/{instance_id}/reschedule": {"post"},
    "/api/v1/host-accounts": {"get", "post"},
    "/api/v1/host-accounts/{host_id}": {"patch"},
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/notifications/read-all": {"post"},
    "/api/v1/calendar/closed-days": {"get"},
    "/api/v1/calendar/closed-days/{day}": {"put", "delete"},
    "/api/v1/personal-data": {"get"},
    "/api/v1/personal-data/erase": {"post"},
    "/api/v1/delegations": {"get", "post"},
    "/api/v1/delegations/{delegation_id}": {"delete"},
    "/api/v1/instances/{instance_id}/tracking-link": {"get"},
}


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def test_the_document_names_every_route(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = json.loads(response.data)
    assert spec["openapi"].startswith("3.")
    assert {path: set(ops) - {"parameters"} for path, ops in spec["paths"].items()} == EXPECTED
    api_rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1")}
    assert len(api_rules) == len(EXPECTED)


def test_every_reference_resolves_and_bodies_are_described(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    for ref in refs(spec):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    start = spec["paths"]["/api/v1/process-definitions/{key}/instances"]["post"]
    body = start["requestBody"]["content"]["application/json"]["schema"]
    assert "data" in _resolve(spec, body)["properties"]
    assert {"201", "401", "403", "404", "422"} <= set(start["responses"])
    instance = schemas["Instance"]["properties"]
    assert {"id", "status", "outcome", "tasks", "request", "meeting", "letters"} <= set(instance)
    assert instance["created_at"]["format"] == "date-time"
    listing = spec["paths"]["/api/v1/instances"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"status", "outcome", "agency", "from", "to", "page", "per_page"} <= names
    assert spec["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    assert spec["paths"]["/api/v1/tasks"]["get"]["security"] == [{"bearer": []}]


def _resolve(spec, schema):
    if "$ref" in schema:
        return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema
