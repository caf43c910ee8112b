"""``GET /api/v1/tasks`` as a worklist: each task carries its request's context
(added fields only), sorted by due time, filtered by step."""
from datetime import datetime

import pytest

from tests.api.sop_http import HttpSop


@pytest.fixture
def sop(api, clock):
    return HttpSop(api, clock)


def test_a_task_carries_topic_agency_meeting_and_letter(sop, api):
    started = sop.start(topic="Rapat koordinasi posyandu", letter_number="440/77/DINKES")
    [task] = api.get("/tasks", "kadis").json
    assert task["name"] == "T02_disposition_kadis"  # the existing fields stay
    assert (task["topic"], task["agency"], task["agency_name"], task["letter_number"]) == \
        ("Rapat koordinasi posyandu", "dinkes", "Dinas Kesehatan Kota Tarakan", "440/77/DINKES")
    assert datetime.fromisoformat(task["meeting_start"]) == datetime.fromisoformat(started["meeting_start"])
    assert task["overdue"] is False


def test_overdue_and_step_filter(sop, api, clock):
    sop.start()
    for name in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(name)
    [task] = api.get("/tasks", "staf").json  # the Staf's 15-minute step
    assert task["overdue"] is False and task["due_at"]
    clock.advance(minutes=20)
    assert [t["overdue"] for t in api.get("/tasks", "staf").json] == [True]
    assert api.get(f"/tasks?step={task['name']}", "staf").json[0]["id"] == task["id"]
    assert api.get("/tasks?step=T09_sign_letter", "staf").json == []


def test_the_additions_are_in_the_openapi_document(api):
    spec = api.client.get("/api/v1/openapi.json").json
    schema = spec["components"]["schemas"]["Task"]["properties"]
    assert {"topic", "agency", "agency_name", "letter_number", "meeting_start", "overdue"} <= set(schema)
    parameters = spec["paths"]["/api/v1/tasks"]["get"]["parameters"]
    assert [p["name"] for p in parameters] == ["step"]


def test_the_instance_list_and_view_carry_the_stage(sop, api):
    sop.start()
    [item] = api.get("/instances", "opd.dinkes").json["items"]
    assert item["stage"]["code"] == "waiting_kadis" and item["agency_name"] == "Dinas Kesehatan Kota Tarakan"
    assert api.get(f"/instances/{item['id']}", "kadis").json["stage"]["code"] == "your_action"


def test_a_proposal_still_full_is_answered_422_on_start_at(api, clock):
    for agency in ("dinkes", "disdik"):  # each books one of the two demo hosts
        occupant = HttpSop(api, clock, agency)
        occupant.start()
        occupant.complete("T02_disposition_kadis")
        occupant.complete("T03_disposition_kabid")
    third = HttpSop(api, clock, "dishub")
    started = third.start()
    third.complete("T02_disposition_kadis")
    third.complete("T03_disposition_kabid")
    [task] = api.get("/tasks", "opd.dishub").json
    body = {"data": {"action": "reschedule", "start_at": started["meeting_start"]}}
    answer = api.post(f"/tasks/{task['id']}/complete", "opd.dishub", json=body)
    assert answer.status_code == 422 and "start_at" in str(answer.json)
    assert "penuh" in str(answer.json) or "fully booked" in str(answer.json)
    declined = api.post(f"/tasks/{task['id']}/complete", "opd.dishub", json={"data": {"action": "decline"}})
    assert declined.status_code == 200
