"""Races, crashes and retries: nothing is lost, nothing happens twice."""
import threading
from datetime import timedelta, timezone

import pytest
from sqlalchemy import delete, select, update

from engine import Conflict, Worker
from engine.services import ServiceError
from engine.services.catalog import default_registry
from engine.storage.models import AuditEvent, Instance, Job, ServiceCall
from tests.conftest import future_request
from tests.engine.driver import Driver

MANUAL_MEETING = {"meeting_id": "98765432109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}
STEPS = [("T02_disposition_kadis", {}), ("T03_disposition_kabid", {}), ("T04_disposition_staf", {}),
         ("T05_enter_meeting_details", MANUAL_MEETING), ("T06_report_meeting", {}),
         ("T07_draft_letter", {}), ("T08_review_draft", {}), ("T09_sign_letter", {}),
         ("T10_acknowledge_receipt", {})]


class Crash(Exception):
    """Stands for the process dying mid-command."""


def crash_once(monkeypatch, module, name):
    real = getattr(module, name)
    state = {"armed": True}

    def crashing(*args, **kwargs):
        if state["armed"]:
            state["armed"] = False
            raise Crash(name)
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, crashing)


def snapshot(engine, instance_id):
    with engine.db.reading() as session:
        row = session.get(Instance, instance_id)
        return row.state, row.lock_version, row.event_count


def test_a_crash_in_the_middle_of_every_step_loses_nothing(make_engine, clock, monkeypatch):
    import engine.runtime.unit_of_work as unit_of_work
    d = Driver(make_engine())
    d.start(future_request(clock))
    for element_id, data in STEPS:
        before = snapshot(d.engine, d.instance_id)
        crash_once(monkeypatch, unit_of_work, "write_changes")
        task = d.ready()[element_id]
        with pytest.raises(Crash):
            d.engine.complete_task(task.id, data, d.actor(_lane_user(task.lane)))
        d.engine = make_engine()  # the restart
        assert snapshot(d.engine, d.instance_id) == before
        assert element_id in d.ready()
        d.complete(element_id, data)
    assert d.instance().summary.outcome == "fulfilled"
    assert d.engine.verify_audit(d.instance_id).ok


def _lane_user(lane):
    return {"OPD": "opd.dinkes", "Kadis": "kadis", "Kabid": "kabid", "Subkoordinator": "subkoordinator",
            "Staf": "staf"}[lane]


def test_two_concurrent_completions_exactly_one_wins(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    task = d.ready()["T02_disposition_kadis"]
    kadis = d.actor("kadis")
    barrier, results = threading.Barrier(2), []

    def complete():
        barrier.wait()
        try:
            d.engine.complete_task(task.id, {}, kadis)
            results.append("ok")
        except Conflict:
            results.append("conflict")
    threads = [threading.Thread(target=complete) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    events = [e.type for e in d.engine.events(d.instance_id, kadis)]
    assert events.count("task_completed") == 1
    assert set(d.ready()) == {"T03_disposition_kabid"}


def swapped(registry, name: str, fn):
    """``registry`` with operator ``name`` running ``fn`` (same locality, audit and secrets)."""
    op = registry.get(name)
    registry.register(name, fn, external=op.external, description=op.description,
                      audit_event=op.audit_event, secret_keys=op.secret_keys)
    return registry


def counting_registry(calls):
    registry = default_registry()
    real = registry.get("letter/dispatch").fn

    def counted(ctx, **params):
        calls.append(ctx.idempotency_key)
        return real(ctx, **params)
    return swapped(registry, "letter/dispatch", counted)


def run_to_dispatch(d):
    for element_id, data in STEPS[:-2]:
        d.complete(element_id, data)
    task = d.ready()["T09_sign_letter"]
    d.engine.complete_task(task.id, {}, d.actor("kadis"))
    with d.engine.db.reading() as session:
        layout = session.scalars(select(Job.id).where(Job.operator == "letter/render",
                                                      Job.status == "pending")).one()
    Worker(d.engine).run_job(layout)  # the signed letter is laid out; the dispatch job is queued, not yet run


def test_call_succeeds_but_commit_fails_is_not_repeated(make_engine, clock, monkeypatch, tmp_path):
    import engine.runtime.command as command
    calls = []
    d = Driver(make_engine(registry=counting_registry(calls)))
    d.start(future_request(clock))
    run_to_dispatch(d)
    crash_once(monkeypatch, command, "save_instance")  # the job's result is being saved
    with pytest.raises(Crash):
        Worker(d.engine).run_once()
    assert len(calls) == 1
    with d.engine.db.reading() as session:
        assert session.scalars(select(Job.status).where(Job.operator == "letter/dispatch")).one() == "running"
        assert session.get(ServiceCall, calls[0]).outcome == "result"
    d.engine = make_engine(registry=counting_registry(calls))  # restart
    clock.advance(seconds=d.engine.settings.job_lease_seconds + 1)  # the dead worker's lease runs out
    Worker(d.engine).run_once()
    assert len(calls) == 1  # applied from the journal, not called again
    assert set(d.ready()) == {"T10_acknowledge_receipt"}
    assert len(list((tmp_path / "outbox").glob("surat_tanggapan-*.eml"))) == 1


def test_crash_before_the_journal_gives_one_effect(make_engine, clock, monkeypatch, tmp_path):
    import engine.worker.loop as worker_module
    calls = []
    d = Driver(make_engine(registry=counting_registry(calls)))
    d.start(future_request(clock))
    run_to_dispatch(d)
    crash_once(monkeypatch, worker_module.Worker, "_journal")
    with pytest.raises(Crash):
        Worker(d.engine).run_once()
    clock.advance(seconds=d.engine.settings.job_lease_seconds + 1)
    Worker(d.engine).run_once()
    assert len(calls) == 2 and calls[0] == calls[1]  # the same idempotency key both times
    assert len(list((tmp_path / "outbox").glob("surat_tanggapan-*.eml"))) == 1


def flaky_registry(failures):
    registry = default_registry()
    real = registry.get("letter/dispatch").fn

    def flaky(ctx, **params):
        if failures:
            failures.pop()
            raise ServiceError("SMTP server unavailable", transient=True)
        return real(ctx, **params)
    return swapped(registry, "letter/dispatch", flaky)


def test_transient_failures_back_off_then_become_an_incident_and_retry(make_engine, clock):
    failures = ["x"] * 3
    d = Driver(make_engine(registry=flaky_registry(failures), settings={"job_max_attempts": 3}))
    d.start(future_request(clock))
    run_to_dispatch(d)
    waits = []
    for _ in range(3):
        Worker(d.engine).run_once()
        with d.engine.db.reading() as session:
            job = session.scalars(select(Job).where(Job.operator == "letter/dispatch")).one()
        waits.append((job.next_attempt_at - clock.now()).total_seconds())
        clock.set(max(clock.now(), job.next_attempt_at) + timedelta(seconds=1))
    assert job.status == "incident" and job.attempts == 3
    assert 10 <= waits[0] <= 12.5 and 20 <= waits[1] <= 25  # exponential backoff with jitter
    assert d.instance().summary.status == "error"
    admin = d.actor("admin")
    assert [j.id for j in d.engine.incidents(admin)] == [job.id]
    d.engine.retry_job(job.id, admin)
    Worker(d.engine).run_once()
    assert set(d.ready()) == {"T10_acknowledge_receipt"}
    assert d.instance().summary.status == "running"
    events = d.engine.events(d.instance_id, admin)
    failed = [e for e in events if e.type == "service_failed" and e.data["operator"] == "letter/dispatch"]
    assert [e.data["attempt"] for e in failed] == [1, 2, 3] and failed[-1].data["incident"]
    assert "job_retried" in [e.type for e in events]


@pytest.mark.parametrize("tamper", ["alter_first", "alter_middle", "alter_last", "delete_middle", "delete_last"])
def test_tampering_with_the_audit_trail_is_detected(make_engine, clock, tamper):
    d = Driver(make_engine())
    d.start(future_request(clock))
    for element_id, data in STEPS[:3]:
        d.complete(element_id, data)
    assert d.engine.verify_audit(d.instance_id).ok
    with d.engine.db.transaction() as session:
        seqs = list(session.scalars(select(AuditEvent.seq).where(AuditEvent.instance_id == d.instance_id)
                                    .order_by(AuditEvent.seq)))
        target = {"first": seqs[0], "middle": seqs[len(seqs) // 2], "last": seqs[-1]}[tamper.split("_")[1]]
        where = (AuditEvent.instance_id == d.instance_id) & (AuditEvent.seq == target)
        if tamper.startswith("alter"):
            session.execute(update(AuditEvent).where(where).values(actor="someone-else"))
        else:
            session.execute(delete(AuditEvent).where(where))
    report = d.engine.verify_audit(d.instance_id)
    assert not report.ok
    assert report.first_broken_seq == target


def test_uploaded_letter_is_kept_once_and_hashed_in_the_trail(make_engine, clock):
    import base64
    pdf = "data:application/pdf;base64," + base64.b64encode(b"%PDF-1.4\n" + b"x" * 50_000).decode()
    d = Driver(make_engine())
    d.start(future_request(clock, letter_file=pdf))
    started = d.engine.events(d.instance_id, d.actor("admin"))[0]
    assert started.data["letter_file"]["upload"] == "application/pdf;base64"
    assert len(started.data["letter_file"]["sha256"]) == 64
    assert d.instance().request["letter_file"]["attached"] is True
    assert d.engine.verify_audit(d.instance_id).ok


def test_a_chain_written_with_a_clock_outside_utc_still_verifies(make_engine, clock):
    # the database gives every time back in UTC; the hash must not depend on the writer's zone
    wita = timezone(timedelta(hours=8))
    clock.set(clock.now().astimezone(wita))
    d = Driver(make_engine())
    d.start(future_request(clock))
    for element_id, data in STEPS[:3]:
        d.complete(element_id, data)
    assert d.engine.verify_audit(d.instance_id).ok
