"""Bad input on every endpoint: a 4xx with field messages, and nothing stored."""
from datetime import timedelta

import pytest

from tests.api.accounts import PROCESS
from tests.api.form_data import build
from tests.api.sop_http import HttpSop

START = f"/process-definitions/{PROCESS}/instances"
UNKNOWN_ID = "3f2b8c4e-0000-4000-8000-000000000000"


@pytest.fixture
def sop(api, clock):
    """A dinkes request waiting for Kadis's disposition."""
    sop = HttpSop(api, clock)
    sop.start()
    return sop


def valid_request(sop, **overrides):
    return build(sop.start_form(), sop.clock, overrides)


def fields_of(response, status=422):
    assert response.status_code == status, response.json
    assert response.json["error"] == "invalid"
    return response.json["errors"]


@pytest.mark.parametrize("body, field", [
    ({}, "data"),
    ({"data": None}, "data"),
    ({"data": []}, "data"),
    ({"data": "topic"}, "data"),
    ({"data": {}, "extra": 1}, "extra"),
    ([1, 2], "_form"),
    ("data", "_form"),
])
def test_a_body_without_a_data_object(api, sop, body, field):
    before = api.count()
    task = sop.ready()["T02_disposition_kadis"]["id"]
    assert field in fields_of(api.post(START, "opd.dinkes", json=body))
    assert field in fields_of(api.post(f"/tasks/{task}/complete", "kadis", json=body))
    assert api.count() == before


def bad_starts(sop):
    now = sop.clock.now()
    return [
        ({"topic": None}, "topic"),
        ({"topic": "x" * 201}, "topic"),
        ({"participants": "many"}, "participants"),
        ({"participants": 0}, "participants"),
        ({"duration_minutes": 10.5}, "duration_minutes"),
        ({"start_at": (now - timedelta(hours=1)).isoformat()}, "start_at"),
        ({"start_at": now.isoformat()}, "start_at"),
        ({"start_at": "2026-12-09 10:00"}, "start_at"),
        ({"letter_date": "09-12-2026"}, "letter_date"),
        ({"contact_email": "bukan-email"}, "contact_email"),
        ({"typename": "x"}, "typename"),
        ({"notes": {"typename": "BpmnWorkflow"}}, "notes.typename"),
        ({"topic": "Rapat\u0000koordinasi"}, "topic"),
        ({"unknown_field": 1}, "unknown_field"),
    ]


def test_bad_start_data(api, sop):
    before = api.count()
    for overrides, field in bad_starts(sop):
        data = valid_request(sop, **overrides)
        if overrides.get("topic", "") is None:
            del data["topic"]
        errors = fields_of(api.post(START, "opd.dinkes", json={"data": data}))
        assert field in errors, (overrides, errors)
        assert all(isinstance(m, str) and m for m in errors[field])
    assert api.count() == before


def test_a_start_in_the_past_in_english(api, sop):
    data = valid_request(sop, start_at=(sop.clock.now() - timedelta(days=1)).isoformat())
    response = api.post(START, "opd.dinkes", json={"data": data}, headers={"Accept-Language": "en"})
    assert fields_of(response)["start_at"] == ["The start must be in the future."]


def test_missing_required_fields_are_named(api, sop):
    errors = fields_of(api.post(START, "opd.dinkes", json={"data": {}}))
    assert {"topic", "start_at", "participants", "letter_number", "letter_date"} <= set(errors)
    assert errors["topic"] == ["Wajib diisi."]


def test_bad_task_data(api, sop):
    task = sop.ready()["T02_disposition_kadis"]["id"]
    before = api.count()
    cases = [({"decision": "maybe"}, "decision"), ({"decision": "reject"}, "reason"),
             ({"decision": "return", "reason": "x"}, "reason"), ({"note": "n" * 1001}, "note"),
             ({"instructions": "Jadwalkan"}, "instructions"), ({"typename": "x"}, "typename"),
             ({"note": {"deep": [{"typename": 1}]}}, "note.deep.0.typename")]
    for data, field in cases:
        errors = fields_of(api.post(f"/tasks/{task}/complete", "kadis", json={"data": data}))
        assert field in errors, (data, errors)
    assert api.count() == before
    assert "T02_disposition_kadis" in sop.ready()


@pytest.mark.parametrize("kwargs, message", [
    ({"data": b'{"data": {', "content_type": "application/json"},
     "Isi permintaan bukan JSON yang valid."),
    ({"data": b"data=1", "content_type": "application/x-www-form-urlencoded"}, None),
    ({"data": b'{"data": {}}', "content_type": "text/plain"}, None),
    ({}, None),
])
def test_malformed_or_not_json(api, sop, kwargs, message):
    task = sop.ready()["T02_disposition_kadis"]["id"]
    before = api.count()
    targets = ((START, "opd.dinkes"), (f"/tasks/{task}/complete", "kadis"), ("/auth/token", None))
    for path, user in targets:
        response = api.post(path, user, **kwargs)
        assert response.status_code == 400, (path, response.json)
        assert response.json["error"] == "bad_request" and response.json["message"]
        if message:
            assert response.json["message"] == message
    assert api.count() == before


@pytest.mark.parametrize("body, field", [
    ({"password": "x"}, "username"),
    ({"username": "kadis"}, "password"),
    ({"username": 5, "password": "x"}, "username"),
    ({"username": "k" * 151, "password": "x"}, "username"),
    ({"username": "", "password": "x"}, "username"),
    ({"username": "kadis", "password": ["x"]}, "password"),
    ({"username": "kadis", "password": "x", "remember": True}, "remember"),
])
def test_bad_sign_in(api, body, field):
    assert field in fields_of(api.client.post("/api/v1/auth/token", json=body))


@pytest.mark.parametrize("query, field", [
    ("page=abc", "page"), ("page=0", "page"), ("per_page=1000", "per_page"),
    ("per_page=-1", "per_page"),
    ("from=yesterday", "from"), ("from=2026-13-01", "from"), ("to=2026-12-09T10:00:00", "to"),
    ("from=2026-12-10&to=2026-12-09", "to"), ("status=" + "s" * 33, "status"),
    ("colour=red", "colour"),
    ("q=%00", "q"),
])
def test_bad_instance_queries(api, query, field):
    assert field in fields_of(api.get(f"/instances?{query}", "manager"))


@pytest.mark.parametrize("method, path", [
    ("GET", f"/instances/{UNKNOWN_ID}"), ("GET", f"/instances/{UNKNOWN_ID}/events"),
    ("GET", f"/tasks/{UNKNOWN_ID}"), ("POST", f"/tasks/{UNKNOWN_ID}/complete"),
    ("GET", "/instances/not-a-uuid"), ("GET", "/instances/not-a-uuid/events"),
    ("GET", "/tasks/123"), ("POST", "/tasks/123/complete"), ("GET", "/tasks/%00"),
    ("POST", "/process-definitions/no_such_process/instances"),
    ("POST", "/process-definitions/bad%00key/instances"),
    ("POST", "/jobs/not-a-number/retry"), ("POST", "/jobs/99999999999999999999/retry"),
    ("GET", "/no-such-route"),
])
def test_unknown_ids_are_404(api, sop, method, path):
    before = api.count()
    response = api.call(method, path, "admin" if "jobs" in path else "opd.dinkes",
                        json={"data": valid_request(sop)})
    assert response.status_code == 404, response.json
    assert response.json["error"] == "not_found" and response.json["message"]
    assert api.count() == before


def test_wrong_method_is_405_json(api):
    response = api.call("DELETE", "/tasks", "kadis")
    assert (response.status_code, response.json["error"]) == (405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_a_body_too_large_is_413_json(api):
    response = api.post(START, "opd.dinkes", data=b"{" + b" " * (9 * 1024 * 1024) + b"}",
                        content_type="application/json")
    assert (response.status_code, response.json["error"]) == (413, "too_large")


def test_a_completed_task_is_409(api, sop):
    task = sop.ready()["T02_disposition_kadis"]["id"]
    assert api.post(f"/tasks/{task}/complete", "kadis", json={"data": {}}).status_code == 200
    again = api.post(f"/tasks/{task}/complete", "kadis", json={"data": {}})
    assert (again.status_code, again.json["error"]) == (409, "conflict")
    assert again.json["message"] == "tugas ini sudah diselesaikan"


def test_schema_messages_follow_the_language(api):
    indonesian = fields_of(api.client.post("/api/v1/auth/token", json={"username": "k" * 151}))
    assert indonesian == {"username": ["Maksimal 150 karakter."], "password": ["Wajib diisi."]}
    english = fields_of(api.client.post("/api/v1/auth/token", json={"username": "k" * 151},
                                        headers={"Accept-Language": "en-GB,en;q=0.8"}))
    assert english == {"username": ["At most 150 characters."],
                       "password": ["This field is required."]}
    page = fields_of(api.get("/instances?per_page=0", "manager", headers={"Accept-Language": "en"}))
    assert page == {"per_page": ["Must be between 1 and 100."]}
