"""Every command goes through the one unit of work: with the guard on, any
transaction that writes an instance outside ``kernel.command`` raises. A full
walk (steps 1-10 with the letters, timers and reminders, the worker's jobs,
both reschedule paths, both withdrawals, an incident retried, a migration and
an expiry) runs under the guard; lost races become Conflict and keep nothing."""
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from engine import Conflict
from engine.runtime import command, state, unit_of_work
from engine.runtime.command import OutsideCommand, guard_instances
from engine.storage.models import Instance
from tests.conftest import future_request
from tests.engine.sop_versions import sop_bundle, with_ten_minutes
from tests.engine.zoom_setup import (drain, jobs, make_zoom_engine, seeded_db,  # noqa: F401
                                     to_meeting_step, zd, zoom)


@pytest.fixture
def guarded():
    with guard_instances():
        yield


def types(d, instance_id) -> list[str]:
    return [e.type for e in d.engine.events(instance_id, d.actor("manager"))]


def test_the_guard_refuses_an_instance_written_outside_a_command(zd, clock, guarded):
    zd.start(future_request(clock))
    with pytest.raises(OutsideCommand):
        with zd.engine.db.transaction() as session:
            session.get(Instance, zd.instance_id).topic = "changed behind the unit of work"
    assert zd.instance().summary.topic == future_request(clock)["topic"]


def later(request, **delta) -> str:
    return (datetime.fromisoformat(request["start_at"]) + timedelta(**delta)).isoformat()


@pytest.fixture
def conversions_compared(monkeypatch):
    """Every save compares the state written (finished tasks converted once and kept) with
    a conversion of every task afresh, and with what SpiffWorkflow's own encoder writes;
    the saves compared."""
    compared = []
    real = unit_of_work.pack_state

    def compare(workflow):
        written = state.dump_state(workflow)
        assert written == state.dump_state_afresh(workflow)
        assert json.loads(written) == json.loads(state.dump_state_by_spiffworkflow(workflow))
        compared.append(workflow)
        return real(workflow)
    monkeypatch.setattr(unit_of_work, "pack_state", compare)
    return compared


def test_a_full_walk_writes_every_instance_inside_a_command(zd, zoom, clock, guarded):
    full_walk(zd, zoom, clock)


def test_a_full_walk_saves_the_state_a_fresh_conversion_gives(zd, zoom, clock, conversions_compared):
    full_walk(zd, zoom, clock)
    assert len(conversions_compared) > 30


def full_walk(d, zoom, clock) -> None:
    """Steps 1-10 with the letters, timers and reminders, the worker's jobs, both reschedule
    paths, both withdrawals, an incident retried, a migration and an expiry."""
    staf, analyst = d.actor("staf"), d.actor("analyst")
    first = future_request(clock)
    to_meeting_step(d, first)  # steps 1-4, then the worker makes the meeting (a job's result)
    fulfilled = d.instance_id
    d.engine.reschedule_meeting(fulfilled, later(first, days=1), staf, "Narasumber berhalangan")
    drain(d, clock)  # the worker's instance job moves the meeting at the provider
    for step in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft", "T09_sign_letter",
                 "T10_acknowledge_receipt"):
        d.complete(step)
    drain(d, clock)
    assert d.instance().summary.outcome == "fulfilled"
    d.engine.withdraw(fulfilled, d.actor("opd.dinkes"), "Kegiatan ditunda")  # after fulfilment
    drain(d, clock)

    gone = future_request(clock, topic="Rapat yang rapatnya hilang", start_at=later(first, hours=3))
    to_meeting_step(d, gone)
    zoom.state.meetings.clear()
    d.engine.reschedule_meeting(d.instance_id, later(gone, days=2), staf)
    drain(d, clock)  # the provider refuses: an incident
    [incident] = jobs(d, "incident")
    d.engine.retry_job(incident.id, d.actor("admin"))
    drain(d, clock)
    retried = d.instance_id

    d.start(future_request(clock, topic="Rapat yang pindah versi", start_at=later(first, hours=6)))
    moved = d.instance_id
    d.complete("T02_disposition_kadis")
    bpmn, _ = sop_bundle()
    d.engine.deploy(with_ten_minutes(bpmn), {}, analyst)
    assert d.engine.migrate("zoom_meeting_request", 2, [moved], analyst).migrated == (moved,)

    d.start(future_request(clock, topic="Rapat yang dibatalkan", start_at=later(first, days=3)))
    withdrawn = d.instance_id
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf",
                 "T06_report_meeting", "T07_draft_letter"):
        d.complete(step)
    due = d.ready()["T08_review_draft"].due_at  # a day's standard
    clock.set(due - timedelta(hours=1))  # most of it has passed: a reminder
    d.work()
    clock.set(due + timedelta(minutes=1))  # it ran out: the timer escalates
    d.work()
    d.engine.withdraw(withdrawn, d.actor("opd.dinkes"), "Kegiatan dibatalkan")  # the BPMN message
    drain(d, clock)
    clock.advance(days=5)  # every meeting has passed: the open request expires
    d.work()
    year = datetime.fromisoformat(first["start_at"]).year
    [number] = [r["number"] for r in d.engine.letters.register(year) if r["instance_id"] == fulfilled]
    d.engine.letters.void_number(number, "Salah ketik", d.actor("kadis"))
    assert len(d.engine.privacy.erase(first["contact_email"], d.actor("admin"))) == 4

    assert {"meeting_rescheduled", "letter_signed", "withdrawal_requested", "letter_number_voided",
            "personal_data_erased"} <= set(types(d, fulfilled))
    assert d.engine.get_instance(fulfilled, analyst).summary.outcome == "withdrawn"
    assert {"service_failed", "job_retried"} <= set(types(d, retried))
    assert "instance_migrated" in types(d, moved) and "request_expired" in types(d, moved)
    assert {"reminder_sent", "timer_fired", "withdrawal_requested"} <= set(types(d, withdrawn))
    assert d.engine.get_instance(withdrawn, analyst).summary.outcome == "withdrawn"
    for instance_id in (fulfilled, retried, moved, withdrawn):
        assert d.engine.verify_audit(instance_id).ok


def test_a_stale_row_is_a_conflict_and_nothing_is_kept(zd, clock, monkeypatch):
    from sqlalchemy import update
    zd.start(future_request(clock))
    before = types(zd, zd.instance_id)
    real = command.save_instance

    def after_someone_else(session, instance, *args, **kwargs):
        session.execute(update(Instance).where(Instance.id == instance.id)
                        .values(lock_version=Instance.lock_version + 1)
                        .execution_options(synchronize_session=False))
        return real(session, instance, *args, **kwargs)
    monkeypatch.setattr(command, "save_instance", after_someone_else)
    with pytest.raises(Conflict) as lost:
        zd.engine.withdraw(zd.instance_id, zd.actor("opd.dinkes"), "Kegiatan dibatalkan")
    assert (lost.value.message_en, lost.value.message_id) == command.CHANGED
    monkeypatch.setattr(command, "save_instance", real)
    assert types(zd, zd.instance_id) == before and zd.instance().summary.status == "running"
    zd.engine.withdraw(zd.instance_id, zd.actor("opd.dinkes"), "Kegiatan dibatalkan")  # from the stored state
    drain(zd, clock)
    assert zd.instance().summary.outcome == "withdrawn"
    assert types(zd, zd.instance_id).count("withdrawal_requested") == 1 and zd.engine.verify_audit(zd.instance_id).ok


def test_a_race_lost_at_the_chain_is_a_conflict_and_nothing_is_kept(make_engine, clock, monkeypatch):
    # another command committed first while this one ran: it took the chain's next place and
    # moved the row on. This command's events go before its row, so the taken place fails first
    from sqlalchemy import insert, update
    from engine.requests import completion, proposal
    from engine.storage.models import AuditEvent
    from tests.engine.driver import Driver
    zd = Driver(make_engine())
    zd.start(future_request(clock))
    before = types(zd, zd.instance_id)
    real = proposal.full_proposal_problem

    def someone_else_first(kernel, session, instance, *args):
        session.execute(insert(AuditEvent).values(
            instance_id=instance.id, seq=instance.event_count + 1, at=clock.now(), type="someone_else",
            data={}, prev_hash=instance.head_hash, hash="0" * 64, scheme=2))
        session.execute(update(Instance).where(Instance.id == instance.id)
                        .values(lock_version=Instance.lock_version + 1)
                        .execution_options(synchronize_session=False))
        return real(kernel, session, instance, *args)
    monkeypatch.setattr(proposal, "full_proposal_problem", someone_else_first)
    with pytest.raises(Conflict) as lost:
        zd.complete("T02_disposition_kadis")
    assert (lost.value.message_en, lost.value.message_id) == completion.CHANGED
    monkeypatch.setattr(proposal, "full_proposal_problem", real)
    assert types(zd, zd.instance_id) == before and "T02_disposition_kadis" in zd.ready()
    zd.complete("T02_disposition_kadis")  # from the stored state
    assert "T02_disposition_kadis" not in zd.ready() and zd.engine.verify_audit(zd.instance_id).ok


def test_a_locked_database_is_a_conflict(zd, clock, monkeypatch):
    zd.start(future_request(clock))

    def locked(*args, **kwargs):
        raise OperationalError("UPDATE instances", {}, Exception("database is locked"))
    monkeypatch.setattr(command, "save_instance", locked)
    with pytest.raises(Conflict) as busy:
        zd.complete("T02_disposition_kadis")
    assert (busy.value.message_en, busy.value.message_id) == command.BUSY
    monkeypatch.undo()
    assert "T02_disposition_kadis" in zd.ready()
