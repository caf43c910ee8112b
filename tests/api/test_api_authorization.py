"""Every endpoint as every role: what the caller may not see is 404, what it
may see but not do is 403, no or a bad token is 401."""
import pytest

from tests.api.accounts import AGENCIES, PASSWORD, PROCESS, STAFF
from tests.api.client import Api
from tests.api.form_data import build
from tests.api.sop_http import HttpSop

USERS = (*AGENCIES, *STAFF)
CALLERS = (*USERS, None, "bad")
SEES_DINKES = ("opd.dinkes", *STAFF)


def table(default, **by_role):
    """Expected status per caller: ``default`` for signed-in users, 401 without a valid token."""
    expected = {user: default for user in USERS}
    expected.update({None: 401, "bad": 401})
    expected.update({role.replace("__", "."): status for role, status in by_role.items()})
    return expected


def seen_by_dinkes(status):
    return {**table(404), **{user: status for user in SEES_DINKES}}


ENDPOINTS = {
    "token": ("POST", "/auth/token", {**table(200), None: 200, "bad": 200}),
    "openapi": ("GET", "/openapi.json", {**table(200), None: 200, "bad": 200}),
    "definitions": ("GET", "/process-definitions", table(200)),
    "start": ("POST", f"/process-definitions/{PROCESS}/instances",
              table(403, opd__dinkes=201, opd__disdik=201)),
    "tasks": ("GET", "/tasks", table(200)),
    "task": ("GET", "/tasks/{task}", seen_by_dinkes(200)),
    "complete": ("POST", "/tasks/{task}/complete", {**seen_by_dinkes(403), "kadis": 200}),
    "instances": ("GET", "/instances", table(200)),
    "instance": ("GET", "/instances/{instance}", seen_by_dinkes(200)),
    "events": ("GET", "/instances/{instance}/events", seen_by_dinkes(200)),
    "incidents": ("GET", "/incidents", table(403, admin=200, manager=200)),
    "retry": ("POST", "/jobs/999999/retry", table(403, admin=404)),
    "withdraw": ("POST", "/instances/{instance}/withdraw", table(403, opd__dinkes=200, opd__disdik=404)),
    "reschedule": ("POST", "/instances/{instance}/reschedule",
                   table(403, subkoordinator=409, staf=409, admin=409)),  # no meeting yet
    "host_accounts": ("GET", "/host-accounts", table(403, admin=200)),
    "add_host_account": ("POST", "/host-accounts", table(403, admin=201)),
    "change_host_account": ("PATCH", "/host-accounts/zoom-1", table(403, admin=200)),
}


@pytest.fixture
def waiting(api, clock):
    """A dinkes request waiting for Kadis's disposition."""
    sop = HttpSop(api, clock)
    sop.start()
    return sop


def body_of(name, sop):
    if name == "token":
        return {"username": "opd.dinkes", "password": PASSWORD}
    if name == "start":
        return {"data": build(sop.start_form(), sop.clock)}
    if name == "complete":
        return {"data": {}}
    if name == "withdraw":
        return {"reason": "Kegiatan dibatalkan"}
    if name == "reschedule":
        return {"start_at": "2026-12-10T13:00:00+08:00"}
    if name == "add_host_account":
        return {"id": "zoom-3", "name": "Zoom Diskominfo 3", "capacity": 2, "max_participants": 300}
    if name == "change_host_account":
        return {"capacity": 2}
    return None


def headers_of(api, caller):
    if caller == "bad":
        return {"Authorization": "Bearer not-a-token"}
    return api.headers(caller)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_every_role(name, api, waiting):
    method, template, expected = ENDPOINTS[name]
    task = waiting.ready()["T02_disposition_kadis"]["id"]
    path = template.format(task=task, instance=waiting.instance_id)
    body = body_of(name, waiting)
    actual = {}
    for caller in sorted(CALLERS, key=lambda c: c == "kadis"):  # Kadis completes the task last
        response = api.client.open(f"/api/v1{path}", method=method, json=body,
                                   headers=headers_of(api, caller))
        assert response.is_json, (caller, response.data[:200])
        actual[caller] = response.status_code
    assert actual == expected


def test_unauthorised_answers_say_why(api):
    missing = api.client.get("/api/v1/tasks")
    assert missing.status_code == 401 and missing.json["error"] == "unauthorized"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    bad = api.client.get("/api/v1/tasks", headers={"Authorization": "Bearer x.y.z"})
    assert bad.json["error"] == "invalid_token"
    basic = api.client.get("/api/v1/tasks", headers={"Authorization": "Basic a2FkaXM6eA=="})
    assert basic.json["error"] == "unauthorized"


def test_a_token_expires_after_eight_hours(api, clock):
    headers = api.headers("kadis")
    clock.advance(hours=7, minutes=59)
    assert api.client.get("/api/v1/tasks", headers=headers).status_code == 200
    clock.advance(minutes=2)
    expired = api.client.get("/api/v1/tasks", headers=headers)
    assert (expired.status_code, expired.json["error"]) == (401, "token_expired")


def test_a_token_of_another_key_is_refused(api, make_app):
    other = make_app()
    other.config["SECRET_KEY"] = "another-secret-key-entirely"
    token = Api(other).token("kadis")
    response = api.client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_sign_in(api):
    good = api.client.post("/api/v1/auth/token", json={"username": "kadis", "password": PASSWORD})
    assert good.status_code == 200
    assert (good.json["token_type"], good.json["expires_in"]) == ("Bearer", 8 * 3600)
    wrong = api.client.post("/api/v1/auth/token", json={"username": "kadis", "password": "salah"})
    unknown = api.client.post("/api/v1/auth/token", json={"username": "siapa", "password": "salah"})
    for response in (wrong, unknown):
        assert (response.status_code, response.json["error"]) == (401, "invalid_credentials")
    assert wrong.json["message"] == "Nama pengguna atau kata sandi salah."
    english = api.client.post("/api/v1/auth/token", json={"username": "kadis", "password": "x"},
                              headers={"Accept-Language": "en-US,en;q=0.9,id;q=0.5"})
    assert english.json["message"] == "Wrong username or password."


def test_an_agency_never_sees_another_agencys_request(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    sop.complete("T02_disposition_kadis", decision="return", reason="Lampiran belum ada")
    task = sop.ready()["T01_complete_request"]
    assert task["id"] in [t["id"] for t in api.get("/tasks", "opd.dinkes").json]
    other = "opd.disdik"
    assert api.get("/tasks", other).json == []
    assert api.get("/instances", other).json["total"] == 0
    assert api.get("/instances?agency=dinkes", other).json["total"] == 0
    for path in (f"/instances/{sop.instance_id}", f"/instances/{sop.instance_id}/events",
                 f"/tasks/{task['id']}"):
        assert api.get(path, other).status_code == 404
    assert api.post(f"/tasks/{task['id']}/complete", other, json={"data": {}}).status_code == 404
    assert api.get(f"/instances/{sop.instance_id}", "opd.dinkes").status_code == 200
