"""A completion right after a command of the same process starts from the instance row that
command kept (``LiveWorkflows.claim``) and reads nothing first. When another process (another
engine on the same database here) wrote the row meanwhile, the attempt loses to the optimistic
lock and the completion runs again from a fresh read: the answer or error of that run is the
one given, and nothing of the stale attempt is kept."""
from datetime import datetime, timedelta

import pytest

from benchmarks.statements import counting
from engine import Conflict
from engine.audit import chain as audit
from engine.requests import completion
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, MEETING


@pytest.fixture
def two(make_engine):
    """Two engines on one database: two processes, each with its own kept rows."""
    first = Driver(make_engine())
    return first, make_engine()


def _task(engine, instance_id, name):
    view = engine.get_instance(instance_id, engine.actor("admin"))
    return next(t for t in view.tasks if t.name == name)


def _working_days(clock):
    """Start forms for meetings on the working days after ``future_request``'s, one a day."""
    start = datetime.fromisoformat(future_request(clock)["start_at"])
    while True:
        start += timedelta(days=1)
        if start.weekday() < 5:
            yield future_request(clock, start_at=start.isoformat())


def _completions(engine, instance_id, name) -> int:
    return sum(1 for e in engine.events(instance_id, engine.actor("manager"))
               if e.type == "task_completed" and e.task == name)


def test_a_completion_after_a_command_here_reads_nothing_before_its_writes(two, clock):
    d, _ = two
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis")
    task = _task(d.engine, d.instance_id, "T03_disposition_kabid")
    with counting() as counted:
        d.engine.complete_task(task.id, {}, d.actor("kabid"))
    first_write = next(i for i, sql in enumerate(counted.sql) if sql.split()[0] in ("INSERT", "UPDATE", "DELETE"))
    reads = [sql for sql in counted.sql[:first_write] if sql.startswith("SELECT")]
    # the schedule check reads the hosts and bookings; nothing reads the task or its instance
    assert not [sql for sql in reads if "ready_tasks" in sql or "FROM instances" in sql], reads
    assert "T04_disposition_staf" in d.ready()


def test_a_task_completed_by_another_process_is_a_conflict_and_nothing_is_kept(two, clock):
    d, other = two
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis")  # this process keeps the row, T03 ready
    task = _task(other, d.instance_id, "T03_disposition_kabid")
    other.complete_task(task.id, {}, other.actor("kabid"))  # the other process completes it
    with pytest.raises(Conflict) as lost:
        d.engine.complete_task(task.id, {}, d.actor("kabid"))
    assert lost.value.message_id == "tugas ini sudah diselesaikan"
    assert _completions(d.engine, d.instance_id, "T03_disposition_kabid") == 1
    assert d.engine.verify_audit(d.instance_id).ok


def test_a_row_written_by_another_process_is_read_again_and_the_completion_stands(two, clock):
    d, other = two
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis")  # this process keeps the row at its version
    with other.kernel.command(d.instance_id) as cmd:  # another process writes the row, not the task
        audit.append(cmd.session, cmd.instance, at=cmd.now, type_="note_added", actor="admin",
                     data={"note": "dicatat proses lain"})
    clock.advance(minutes=5)
    view = d.complete("T03_disposition_kabid")
    assert view.summary.status == "running" and "T04_disposition_staf" in d.ready()
    types = [e.type for e in d.engine.events(d.instance_id, d.actor("manager"))]
    assert types.count("note_added") == 1 and _completions(d.engine, d.instance_id, "T03_disposition_kabid") == 1
    assert d.engine.verify_audit(d.instance_id).ok  # one chain: the stale attempt appended nothing


def test_an_answer_read_at_the_commit_names_the_agency_and_the_work_queued(two, clock):
    d, _ = two
    d.start(future_request(clock))
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        d.complete(step)
    d.complete("T05_enter_meeting_details", MEETING)
    for step in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft"):
        d.complete(step, DRAFT if step == "T07_draft_letter" else None)
    task = _task(d.engine, d.instance_id, "T09_sign_letter")
    view = d.engine.complete_task(task.id, {}, d.actor("kadis"))  # queues the signed letter's layout
    assert view.summary.agency_name == "Dinas Kesehatan Kota Tarakan"
    assert not view.tasks and view.summary.stage.code == "letter_preparing"


def test_a_step_whose_kept_rows_are_stale_as_a_rule_reads_first(two, clock, monkeypatch):
    """As where a worker in another process writes the instance before the step: after two
    wasted attempts the step reads first, and goes back to its kept rows once they hold."""
    d, other = two
    tried = []  # per run of a completion: whether it ran on a kept row
    run = completion._complete
    monkeypatch.setattr(completion, "_complete", lambda *a, **k: tried.append(a[6] is not None) or run(*a, **k))

    requests = _working_days(clock)

    def kabid_after_a_foreign_write(foreign: bool) -> None:
        d.start(next(requests))  # each meeting on a day of its own: the schedule has room
        d.complete("T02_disposition_kadis")  # this process keeps the row, T03 ready
        if foreign:
            with other.kernel.command(d.instance_id) as cmd:
                audit.append(cmd.session, cmd.instance, at=cmd.now, type_="note_added", actor="admin",
                             data={"note": "dicatat proses lain"})
        tried.clear()
        d.complete("T03_disposition_kabid")
        assert "T04_disposition_staf" in d.ready()

    kabid_after_a_foreign_write(True)
    kabid_after_a_foreign_write(True)
    assert tried == [True, False]  # the kept row tried, then read afresh
    kabid_after_a_foreign_write(True)
    assert tried == [False]  # learnt: read first, nothing wasted
    kabid_after_a_foreign_write(False)
    kabid_after_a_foreign_write(False)
    assert tried == [False]  # the fresh reads found the kept rows current again
    kabid_after_a_foreign_write(False)
    assert tried == [True]
