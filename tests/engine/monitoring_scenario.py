"""A month of requests with known figures for the dashboard and the recap:
three fulfilled (one Kabid review a working day late, escalated), one
expired, one waiting at the Kadis's disposition."""
from __future__ import annotations

from datetime import timedelta

from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, to_signature

KABID = "Kepala Bidang Aplikasi dan Informatika (demo)"


def fulfil(d, clock, agency, hour, late_review=False):
    """Take a request from submission to the agency's receipt."""
    to_signature_before_review(d, clock, agency, hour)
    if late_review:
        clock.advance(days=2)  # Monday 09:00 -> Wednesday 09:00: due Tuesday 09:00
        d.work()  # the review's timer fires: an escalation
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    d.complete("T10_acknowledge_receipt", username=f"opd.{agency}")


def to_signature_before_review(d, clock, agency, hour):
    """Submit and walk to the Kabid's review (T08)."""
    from tests.engine.letter_setup import to_draft
    to_draft(d, clock, agency, hour)
    d.complete("T07_draft_letter", DRAFT)


def build(engine, clock):
    """Run the scenario; return the driver."""
    d = Driver(engine)
    fulfil(d, clock, "dinkes", 0)
    fulfil(d, clock, "disdik", 2)
    d.start(dict(future_request(clock), start_at=_at(clock, 6)), agency="dishub")
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti"], "urgency": "biasa"})
    d.complete("T03_disposition_kabid")
    expiring = d.instance_id
    fulfil(d, clock, "dinkes", 4, late_review=True)
    meeting = d.engine.get_instance(expiring, d.actor("manager")).summary.meeting_start
    clock.set(meeting + timedelta(seconds=1))
    d.work()
    d.start(future_request(clock), agency="dinkes")  # waits at T02
    return d


def _at(clock, hour):
    from datetime import datetime
    start = datetime.fromisoformat(future_request(clock)["start_at"])
    return (start + timedelta(hours=hour)).isoformat()
