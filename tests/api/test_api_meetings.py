"""The meeting endpoints over HTTP: host accounts (admin), withdrawal (the
agency), moving a meeting (staff), with meetings made at the fake Zoom."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.api.client import Api
from tests.api.sop_http import HttpSop
from tests.engine.zoom_setup import zoom, zoom_settings  # noqa: F401

NEW_HOST = {"id": "zoom-3", "name": "Zoom Diskominfo 3", "email": "zoom3@tarakankota.go.id",
            "capacity": 2, "max_participants": 300}


def test_admins_manage_the_host_accounts(api):
    assert [h["id"] for h in api.get("/host-accounts", "admin").json] == ["zoom-1", "zoom-2"]
    created = api.post("/host-accounts", "admin", json=NEW_HOST)
    assert created.status_code == 201 and created.json == {**NEW_HOST, "active": True}
    assert api.post("/host-accounts", "admin", json=NEW_HOST).status_code == 409
    changed = api.call("PATCH", "/host-accounts/zoom-3", "admin", json={"active": False, "capacity": 1})
    assert changed.status_code == 200 and (changed.json["active"], changed.json["capacity"]) == (False, 1)
    assert api.call("PATCH", "/host-accounts/zoom-9", "admin", json={"capacity": 1}).status_code == 404
    assert api.get("/host-accounts", "staf").status_code == 403


@pytest.mark.parametrize("body, fields", [
    ({**NEW_HOST, "capacity": 0}, {"capacity"}),
    ({**NEW_HOST, "max_participants": 250}, {"max_participants"}),
    ({**NEW_HOST, "email": "not-an-address", "id": "Zoom 3"}, {"email", "id"}),
    ({"id": "zoom-4", "name": "Tanpa kapasitas"}, {"capacity", "max_participants"}),
    ({**NEW_HOST, "licence": "pro"}, {"licence"}),
])
def test_host_account_input_is_checked_per_field(api, body, fields):
    response = api.post("/host-accounts", "admin", json=body)
    assert response.status_code == 422 and set(response.json["errors"]) == fields
    english = api.post("/host-accounts", "admin", json=body, headers={"Accept-Language": "en"})
    assert english.json["errors"] != response.json["errors"]


def test_the_agency_withdraws_its_request(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    sop.complete("T02_disposition_kadis")
    path = f"/instances/{sop.instance_id}/withdraw"
    assert api.post(path, "opd.dinkes", json={}).status_code == 422
    response = api.post(path, "opd.dinkes", json={"reason": "Kegiatan ditunda"})
    assert response.status_code == 200 and response.json["tasks"] == []
    api.work()
    assert sop.outcome() == ("completed", "withdrawn")
    assert api.post(path, "opd.dinkes", json={"reason": "lagi"}).status_code == 409
    events = api.get(f"/instances/{sop.instance_id}/events", "manager").json
    assert any(e["type"] == "withdrawal_requested" and e["data"]["reason"] == "Kegiatan ditunda"
               for e in events)


@pytest.fixture
def zoom_api(make_app, zoom):
    return Api(make_app(settings={"meeting_provider": "zoom", "zoom": zoom_settings(zoom)}))


def test_a_zoom_meeting_over_http_then_moved(zoom_api, zoom, clock):
    sop = HttpSop(zoom_api, clock)
    start = sop.start()["request"]["start_at"]
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(step)
    meeting = sop.instance("staf")["meeting"]
    assert meeting["provider"] == "zoom" and meeting["start_url"] and "T06_report_meeting" in sop.ready()
    [made] = zoom.state.meetings.values()
    assert str(made["id"]) == meeting["meeting_id"]
    new = (datetime.fromisoformat(start) + timedelta(days=1)).isoformat()
    path = f"/instances/{sop.instance_id}/reschedule"
    assert zoom_api.post(path, "opd.dinkes", json={"start_at": new}).status_code == 403
    assert zoom_api.post(path, "staf", json={"start_at": "besok"}).status_code == 422
    moved = zoom_api.post(path, "staf", json={"start_at": new, "reason": "Ruang rapat dipakai"})
    assert moved.status_code == 200 and moved.json["request"]["start_at"] == new
    zoom_api.work()
    utc = datetime.fromisoformat(new).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert made["start_time"] == utc and len(zoom.state.meetings) == 1
