"""Incidents: an external job whose retries ran out, seen and retried over HTTP."""
import logging

import pytest

from tests.api.client import Api
from tests.api.sop_http import HttpSop


class BrokenProvider:
    """A meeting provider whose service is down."""

    name = "broken"

    def create(self, **_request):
        raise RuntimeError("meeting service unreachable")


@pytest.fixture
def api(make_app):
    return Api(make_app(settings={"job_max_attempts": 1}, meeting_provider=BrokenProvider()))


def test_an_incident_is_listed_and_retried(api, clock, caplog):
    caplog.set_level(logging.CRITICAL, logger="vicon.worker")  # the failure is expected here
    sop = HttpSop(api, clock)
    sop.start()
    sop.complete("T02_disposition_kadis")
    sop.complete("T03_disposition_kabid")
    sop.complete("T04_disposition_staf")
    assert sop.instance()["status"] == "error"
    incidents = api.get("/incidents", "manager").json
    assert [(i["instance_id"], i["status"], i["attempts"]) for i in incidents] == \
        [(sop.instance_id, "incident", 1)]
    assert "unreachable" in incidents[0]["last_error"]
    assert api.post(f"/jobs/{incidents[0]['id']}/retry", "manager").status_code == 403
    retried = api.post(f"/jobs/{incidents[0]['id']}/retry", "admin")
    assert retried.status_code == 200, retried.json
    assert (retried.json["status"], retried.json["attempts"]) == ("pending", 0)
    assert api.get("/incidents", "admin").json == []
    assert sop.instance()["status"] == "running"
    again = api.post(f"/jobs/{incidents[0]['id']}/retry", "admin")
    assert (again.status_code, again.json["error"]) == (409, "conflict")
    events = [e["type"] for e in api.get(f"/instances/{sop.instance_id}/events", "admin").json]
    assert events[-1] == "job_retried"
