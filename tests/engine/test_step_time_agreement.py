"""One step-time rule: the managers' request page (``Oversight.instance``) and
the dashboard and recap (``engine.monitoring``, read from ``step_times``) give
the same figures, and the expected ones, for a request migrated mid-step, a
step inside the SP05 sub-process and a receipt deemed given by its timer
(engine/monitoring/step_times.py), on SQLite and PostgreSQL."""
from datetime import date, timedelta

import pytest

from engine import Oversight
from engine.monitoring.projection import bucket
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, MEETING, OFFICE
from tests.engine.sop_versions import sop_bundle, with_four_hour_review, with_ten_minutes

DECEMBER = date(2026, 12, 1)
KEY = "zoom_meeting_request"


@pytest.fixture
def driver(make_engine):
    return Driver(make_engine(settings={"letters": OFFICE}))


def to_receipt(d, clock):
    """Monday 09:00: submitted; T03 moves to version 2 after 30 of its 90 minutes;
    SP05 opens at 10:30, moves to version 3 (PT15M -> PT10M) after 5 minutes and
    ends when Staf enters the meeting at 10:42; the letter goes out at 10:42."""
    analyst = d.actor("analyst")
    bpmn = sop_bundle()[0]
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti"], "urgency": "biasa"})
    clock.advance(minutes=30)
    d.engine.deploy(with_four_hour_review(bpmn), {}, analyst)
    assert d.engine.migrate(KEY, 2, [d.instance_id], analyst).migrated == (d.instance_id,)
    clock.advance(minutes=60)
    d.complete("T03_disposition_kabid")
    d.complete("T04_disposition_staf")
    assert set(d.ready()) == {"T05_enter_meeting_details"}
    clock.advance(minutes=5)
    d.engine.deploy(with_ten_minutes(with_four_hour_review(bpmn)), {}, analyst)
    assert d.engine.migrate(KEY, 3, [d.instance_id], analyst).migrated == (d.instance_id,)
    clock.advance(minutes=7)
    d.complete("T05_enter_meeting_details", MEETING)
    d.complete("T06_report_meeting")
    d.complete("T07_draft_letter", DRAFT)
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    assert set(d.ready()) == {"T10_acknowledge_receipt"}
    return d.ready()["T10_acknowledge_receipt"].due_at


def page_steps(d) -> dict:
    """Step -> StepTime, as the request page shows them (each step finished once here)."""
    watched = Oversight(d.engine).instance(d.actor("manager"), d.instance_id)
    steps = [e.step for e in watched.timeline if e.step is not None]
    assert len({s.element_id for s in steps}) == len(steps)
    return {s.element_id: s for s in steps}


def assert_dashboard_agrees(d, page: dict) -> None:
    """Every finished step of the page counted once on the dashboard, in the same
    time bucket and breach; every breach in the recap with the page's times."""
    manager = d.actor("manager")
    board = {s.id: s for s in d.engine.monitoring.dashboard(manager).steps}
    for step, timed in page.items():
        stat = board[step]
        assert (stat.finished, stat.breached, stat.median_minutes) == (
            1, int(timed.breached), bucket(timed.minutes)), step
    assert sum(s.finished for s in board.values()) == len(page)
    recap = d.engine.monitoring.recap(DECEMBER, manager)
    assert {(b.step, b.started_at, b.ended_at, b.due_at, b.late_minutes, b.standard) for b in recap.breaches} == {
        (s.element_id, s.started, s.ended, s.due, s.late_minutes, s.standard) for s in page.values() if s.breached}
    timed = [s for s in page.values() if s.standard]
    assert (recap.finished_timed, recap.within) == (len(timed), sum(1 for s in timed if s.within))


def test_migrated_sub_process_and_deemed_receipt_agree_on_page_and_dashboard(driver, clock):
    d = driver
    due = to_receipt(d, clock)
    opened = clock.now()
    clock.set(due + timedelta(seconds=1))  # the worker polls a second after the due time
    d.work()
    assert (d.instance().summary.status, d.instance().summary.outcome) == ("completed", "fulfilled")

    page = page_steps(d)
    kabid = page["T03_disposition_kabid"]  # one step across the move, from T02's end to its own
    assert (kabid.minutes, kabid.standard, kabid.within) == (90, None, None)
    meeting = page["SP05_create_meeting"]  # closed by its inner step, held to version 3's standard
    assert (meeting.minutes, meeting.standard, meeting.breached, meeting.late_minutes) == (12, "PT10M", True, 2)
    assert (meeting.ended - meeting.started) == timedelta(minutes=12)
    assert "T05_enter_meeting_details" not in page and "T05_create_meeting" not in page
    receipt = page["T10_acknowledge_receipt"]  # deemed given: three office days, kept
    assert (receipt.started, receipt.due) == (opened, due)
    assert (receipt.minutes, receipt.standard, receipt.within) == (3 * 450, "P3D", True)
    assert page["T08_review_draft"].standard == "PT4H"
    assert_dashboard_agrees(d, page)


def test_a_receipt_deemed_given_late_is_a_breach_on_both(driver, clock):
    d = driver
    due = to_receipt(d, clock)  # Thursday 10:42
    clock.set(due + timedelta(hours=22, minutes=18))  # no worker until Friday 09:00
    d.work()
    page = page_steps(d)
    receipt = page["T10_acknowledge_receipt"]
    # Thursday 10:42-12:00 and 13:00-16:00, Friday 07:30-09:00 of office time past due
    assert (receipt.breached, receipt.late_minutes) == (True, 78 + 180 + 90)
    assert_dashboard_agrees(d, page)
