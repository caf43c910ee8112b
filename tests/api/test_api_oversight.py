"""GET /api/v1/instances/{id}/diagram: the BPMN of the version a request runs
and its elements' states, for managers and administrators only."""
import logging

import pytest

from tests.api.client import Api
from tests.api.sop_http import HttpSop
from tests.api.test_api_incidents import BrokenProvider


def test_the_diagram_names_completed_and_current_elements(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    sop.complete("T02_disposition_kadis")
    response = api.get(f"/instances/{sop.instance_id}/diagram", "manager")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["process_key"] == "zoom_meeting_request" and body["version"] == 1
    assert 'bpmnElement="T02_disposition_kadis"' in body["bpmn"]
    assert {"S01_request_submitted", "G02_merge", "T02_disposition_kadis", "G02_decision"} <= set(body["completed"])
    assert "end_rejected" not in body["completed"] and "T03_disposition_kabid" not in body["completed"]
    assert body["current"] == ["T03_disposition_kabid"] and body["failed"] == []
    assert api.get(f"/instances/{sop.instance_id}/diagram", "admin").status_code == 200
    for user in ("opd.dinkes", "kadis", "staf"):
        assert api.get(f"/instances/{sop.instance_id}/diagram", user).status_code == 403, user
    assert api.get("/instances/00000000-0000-0000-0000-000000000000/diagram", "manager").status_code == 404


@pytest.fixture
def broken_api(make_app):
    return Api(make_app(settings={"job_max_attempts": 1}, meeting_provider=BrokenProvider()))


def test_an_incident_is_a_failed_element_and_marks_its_subprocess(broken_api, clock, caplog):
    caplog.set_level(logging.CRITICAL, logger="vicon.worker")  # the failure is expected here
    sop = HttpSop(broken_api, clock)
    sop.start()
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(step)
    body = broken_api.get(f"/instances/{sop.instance_id}/diagram", "manager").json
    assert body["failed"] == ["SP05_create_meeting", "T05_create_meeting"]  # the task and its sub-process
    assert body["current"] == [] and "T05_create_meeting" not in body["completed"]
    assert {"T04_check_schedule", "T04_disposition_staf", "SP05_start"} <= set(body["completed"])
