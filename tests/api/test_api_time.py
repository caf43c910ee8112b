"""Time over the API: reminders and escalations in the app, the working
calendar, and the lead time before a meeting."""
from datetime import timedelta

import pytest

from tests.api.sop_http import HttpSop


def through_step4(sop):
    sop.start()
    for name in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(name)


def test_reminder_then_escalation_reach_the_right_people(api, clock):
    sop = HttpSop(api, clock)
    through_step4(sop)  # the manual provider hands step 5 to Staf at once
    clock.advance(minutes=11)
    api.work()
    response = api.get("/notifications", "staf")
    assert response.status_code == 200, response.json
    staf = response.json
    assert [n["kind"] for n in staf] == ["reminder"]
    assert "Pengingat" in staf[0]["message"] and staf[0]["read_at"] is None
    assert api.get("/notifications", "subkoordinator").json == []
    clock.advance(minutes=5)
    api.work()
    told = api.get("/notifications", "subkoordinator").json
    assert [n["kind"] for n in told] == ["escalation"] and "Eskalasi" in told[0]["message"]
    assert api.get("/notifications", "kadis").json == []
    english = api.get("/notifications", "staf", headers={"Accept-Language": "en"}).json
    assert english[0]["message"].startswith("Reminder")
    read = api.post(f"/notifications/{staf[0]['id']}/read", "staf")
    assert read.status_code == 200 and read.json["read_at"]
    assert api.get("/notifications?unread=true", "staf").json == []
    assert api.post(f"/notifications/{staf[0]['id']}/read", "kabid").status_code == 404  # not theirs


def test_the_calendar_lists_closed_days_and_only_admins_change_it(api):
    days = api.get("/calendar/closed-days?year=2026", "opd.dinkes").json
    assert {"date": "2026-12-25", "name": "Hari Raya Natal", "kind": "libur_nasional",
            "provisional": False, "closed": True} in days
    body = {"name": "Hari jadi Kota Tarakan", "kind": "lainnya"}
    assert api.client.put("/api/v1/calendar/closed-days/2026-12-31", json=body,
                          headers=api.headers("kadis")).status_code == 403
    put = api.client.put("/api/v1/calendar/closed-days/2026-12-31", json=body, headers=api.headers("admin"))
    assert put.status_code == 200 and put.json["closed"] is True
    bad = api.client.put("/api/v1/calendar/closed-days/2026-12-30", json={"name": "", "kind": "x"},
                         headers=api.headers("admin"))
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"name", "kind"}
    assert api.client.put("/api/v1/calendar/closed-days/not-a-date", json=body,
                          headers=api.headers("admin")).status_code == 404
    gone = api.client.delete("/api/v1/calendar/closed-days/2026-12-24", headers=api.headers("admin"))
    assert gone.status_code == 204
    listed = {d["date"]: d for d in api.get("/calendar/closed-days?year=2026", "admin").json}
    assert listed["2026-12-24"]["closed"] is False and listed["2026-12-31"]["closed"] is True


@pytest.mark.parametrize("ahead, accepted", [(timedelta(hours=2), False), (timedelta(days=1, hours=1), True)])
def test_a_request_needs_one_working_day_of_lead_time(api, clock, ahead, accepted):
    sop = HttpSop(api, clock)
    start = (clock.now() + ahead).isoformat()
    from tests.api.form_data import build
    data = build(sop.start_form(), clock, {"start_at": start})
    response = api.post("/process-definitions/zoom_meeting_request/instances", "opd.dinkes", json={"data": data})
    if accepted:
        assert response.status_code == 201, response.json
    else:
        assert response.status_code == 422
        assert "1 hari kerja" in response.json["errors"]["start_at"][0]
