"""The managers' read side of one request: which diagram elements it passed,
how long each step took against its standard, and the audit chains of every
request verified in one pass."""
import pytest
from sqlalchemy import text

from engine import Forbidden, Oversight
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE
from tests.engine.monitoring_scenario import fulfil, module_engine


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def late_fulfilled(request, tmp_path_factory):
    """A fulfilled request whose Kabid's review came a working day late (built
    once per database kind: the tests only read it)."""
    with module_engine(request, tmp_path_factory, letters=OFFICE) as engine:
        d = Driver(engine)
        fulfil(d, engine.clock, "dinkes", 0, late_review=True)
        yield d


def test_a_fulfilled_request_passed_its_path_and_nothing_else(late_fulfilled):
    d = late_fulfilled
    diagram = Oversight(d.engine).diagram(d.actor("manager"), d.instance_id)
    done = set(diagram.completed)
    assert {"S01_request_submitted", "T02_disposition_kadis", "T04_check_schedule", "SP05_create_meeting",
            "SP05_start", "T05_create_meeting", "B05_meeting_failed", "T05_enter_meeting_details", "SP05_end_manual",
            "T06_report_meeting", "T07_draft_letter", "T08_review_draft", "B08_sla_timer", "T08_escalate",
            "end_escalated_08", "T09_sign_letter", "T10_acknowledge_receipt", "end_fulfilled",
            "Flow_T02_to_G02_decision", "Flow_G04_free"} <= done
    assert not done & {"end_fulfilled_auto", "B10_receipt_timeout", "end_rejected", "end_withdrawn",
                       "T01_complete_request", "T04_choose_alternative", "end_schedule_full", "ESP_withdraw",
                       "SP05_end", "Flow_G03_reject", "T_cancel_meeting"}
    assert diagram.current == [] and diagram.failed == []
    assert diagram.bpmn.startswith("<?xml") and diagram.version == 1


def test_step_times_against_their_standards_in_working_time(late_fulfilled):
    d = late_fulfilled
    watched = Oversight(d.engine).instance(d.actor("manager"), d.instance_id)
    steps = {e.task: e.step for e in watched.timeline if e.step is not None}
    review = steps["T08_review_draft"]
    assert review.standard == "P1D" and review.within is False  # Monday 09:00 -> Wednesday 09:00
    assert review.working.total_seconds() == 2 * 7.5 * 3600  # two office days of 7.5 hours
    assert steps["T10_acknowledge_receipt"].within is True and steps["T10_acknowledge_receipt"].standard == "P3D"
    assert steps["T05_enter_meeting_details"].standard == "PT15M"  # its sub-process's standard
    assert steps["T02_disposition_kadis"].standard is None and steps["T02_disposition_kadis"].within is None
    assert [e.seq for e in watched.timeline] == list(range(1, len(watched.timeline) + 1))
    assert watched.open_steps == []


def test_oversight_is_for_managers_and_admins(late_fulfilled):
    d = late_fulfilled
    watch = Oversight(d.engine)
    assert watch.verify(d.actor("admin")).ok
    for user in ("kadis", "opd.dinkes", "analyst"):
        with pytest.raises(Forbidden):
            watch.diagram(d.actor(user), d.instance_id)
        with pytest.raises(Forbidden):
            watch.verify(d.actor(user))


def test_every_chain_is_verified_and_the_first_broken_event_named(make_engine, clock):
    from tests.conftest import future_request
    d = Driver(make_engine())
    ids = []
    for agency in ("dinkes", "disdik", "dishub"):
        d.start(future_request(clock), agency=agency)
        d.complete("T02_disposition_kadis")
        ids.append(d.instance_id)
    watch = Oversight(d.engine)
    intact = watch.verify_chains()
    assert intact.ok and intact.instances == 3 and intact.events >= 6
    altered, shortened = sorted(ids)[1], sorted(ids)[2]
    with d.engine.db.transaction() as session:
        session.execute(text("UPDATE audit_events SET actor = 'someone-else' WHERE instance_id = :i AND seq = 2"),
                        {"i": altered})
        last = session.execute(text("SELECT max(seq) FROM audit_events WHERE instance_id = :i"),
                               {"i": shortened}).scalar()
        session.execute(text("DELETE FROM audit_events WHERE instance_id = :i AND seq = :s"),
                        {"i": shortened, "s": last})
    check = watch.verify_chains()
    assert not check.ok and check.broken_count == 2
    assert [(r.instance_id, r.first_broken_seq, r.reason) for r in check.broken] == [
        (altered, 2, "event altered"), (shortened, last, "events missing at the end")]
    assert check.first_broken.instance_id == altered
    one = watch.verify_chains(sorted(ids)[0])
    assert one.ok and one.instances == 1


def test_a_returned_draft_marks_the_way_back_only_once_taken(make_engine, clock):
    from tests.engine.letter_setup import DRAFT, to_draft
    d = Driver(make_engine(settings={"letters": OFFICE}))
    to_draft(d, clock)
    d.complete("T07_draft_letter", DRAFT)
    watch = Oversight(d.engine)
    first = watch.diagram(d.actor("manager"), d.instance_id)
    assert first.current == ["T08_review_draft"] and "Flow_G08_return" not in first.completed
    d.complete("T08_review_draft", {"decision": "return", "note": "Perbaiki perihal surat"})
    back = watch.diagram(d.actor("manager"), d.instance_id)
    assert back.current == ["T07_draft_letter"]
    assert {"Flow_G08_return", "G08_decision", "T08_review_draft"} <= set(back.completed)
    assert "Flow_G08_approve" not in back.completed and "T09_sign_letter" not in back.completed


def test_a_time_budget_stops_at_an_instance_and_says_where_to_go_on(make_engine, clock):
    from tests.conftest import future_request
    from engine.monitoring.verification import verify_all
    d = Driver(make_engine())
    for agency in ("dinkes", "disdik", "dishub"):
        d.start(future_request(clock), agency=agency)
    ticks = iter(range(100))
    with d.engine.db.streaming() as session:
        first = verify_all(session, budget=0.5, timer=lambda: next(ticks))  # one "second" per instance
        assert first.instances == 1 and first.ok and first.resume_after is not None
        rest = verify_all(session, after=first.resume_after)
        assert rest.instances == 2 and rest.ok and rest.resume_after is None
        everything = verify_all(session)
    assert everything.instances == 3 and everything.events == first.events + rest.events
