"""An agency reads its request's events as the instance view shows them (issue
18, finding 5): no officials' notes, instructions, reasons or usernames, no
internal service events; staff still see everything."""
from __future__ import annotations

import json

import pytest

from tests.api.sop_http import HttpSop

SECRET_NOTE = "Catatan internal: jangan diberitahukan ke OPD"


@pytest.fixture
def sop(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    sop.complete("T02_disposition_kadis", note=SECRET_NOTE, instructions=["Bicarakan dengan saya"])
    sop.complete("T03_disposition_kabid", note=SECRET_NOTE)
    return sop


def _events(sop, username):
    response = sop.api.get(f"/instances/{sop.instance_id}/events", username)
    assert response.status_code == 200, response.json
    return response.json


def test_the_agency_sees_no_internal_notes_or_officials(sop):
    events = _events(sop, "opd.dinkes")
    text = json.dumps(events)
    assert SECRET_NOTE not in text and "Bicarakan dengan saya" not in text
    assert not {"kadis", "kabid", "subkoordinator", "staf"} & {e["actor"] for e in events}
    assert not {"service_completed", "service_failed", "reminder_sent"} & {e["type"] for e in events}
    officials = [e for e in events if e["lane"] in ("Kadis", "Kabid")]
    assert officials and all(e["data"] == {} for e in officials)  # the step is shown, not its content


def test_the_agency_still_sees_its_own_steps(sop):
    events = _events(sop, "opd.dinkes")
    started = next(e for e in events if e["type"] == "instance_started")
    assert started["actor"] == "opd.dinkes"


def test_staff_see_the_whole_trail(sop):
    events = _events(sop, "manager")
    assert SECRET_NOTE in json.dumps(events)
    assert {"kadis", "kabid"} <= {e["actor"] for e in events}
