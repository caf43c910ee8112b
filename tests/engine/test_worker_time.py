"""The worker and time: timers fire once with several workers, a crash
mid-batch loses and doubles nothing, requests expire, lead time holds."""
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine import InvalidData, Worker
from engine.storage.models import AuditEvent, Booking
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.test_letter_mail import Inbox, mail_engine, smtp  # noqa: F401  (smtp is a fixture)

N_INSTANCES = 12


def waiting_at_step5(make_engine, clock, n):
    """``n`` requests whose manual step 5 is open with its 15-minute timer armed."""
    d = Driver(make_engine())
    ids = []
    for i in range(n):
        start = datetime.fromisoformat(future_request(clock)["start_at"]) + timedelta(hours=3 * i)
        d.start(future_request(clock, start_at=start.isoformat()))
        for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
            d.complete(step)
        ids.append(d.instance_id)
    return d, ids


def timer_events(engine):
    with engine.db.reading() as session:
        rows = session.execute(select(AuditEvent.instance_id, func.count()).where(
            AuditEvent.type == "timer_fired").group_by(AuditEvent.instance_id)).all()
    return dict(rows)


def test_two_workers_fire_each_due_timer_exactly_once(make_engine, clock, database_url):
    d, ids = waiting_at_step5(make_engine, clock, N_INSTANCES)
    clock.advance(minutes=16)
    workers = [Worker(make_engine(), name=f"w{i}") for i in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def run(worker):
        barrier.wait()
        try:
            while worker.run_once():
                pass
        except Exception as exc:  # surfaced below: a worker must not crash on a lost race
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert timer_events(d.engine) == {i: 1 for i in ids}


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(make_engine, clock, monkeypatch):
    import engine.runtime.command as command
    d, ids = waiting_at_step5(make_engine, clock, 4)
    clock.advance(minutes=16)
    real, calls = command.save_instance, []

    def dies_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise SystemExit("killed")
        return real(*args, **kwargs)
    monkeypatch.setattr(command, "save_instance", dies_on_the_third)
    with pytest.raises(SystemExit):
        Worker(d.engine).run_once()
    monkeypatch.setattr(command, "save_instance", real)
    assert len(timer_events(d.engine)) == 2
    Worker(make_engine()).run_once()  # the next start
    assert timer_events(d.engine) == {i: 1 for i in ids}


def test_a_request_expires_when_its_meeting_starts_unfulfilled(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    for step in ("T02_disposition_kadis", "T03_disposition_kabid"):
        d.complete(step)
    with d.engine.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1
    meeting = d.instance().summary.meeting_start
    clock.set(meeting + timedelta(seconds=1))
    d.work()
    view = d.instance()
    assert (view.summary.status, view.summary.outcome) == ("completed", "expired")
    assert view.tasks == [] and view.request["topic"] == "Rapat koordinasi stunting"
    types = [e.type for e in d.engine.events(d.instance_id, d.actor("manager"))]
    assert "request_expired" in types and types[-1] == "instance_completed"
    with d.engine.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 0  # the host is free again
    d.work()
    assert [e.type for e in d.engine.events(d.instance_id, d.actor("manager"))] == types  # once


def test_a_request_with_its_letter_sent_does_not_expire(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    manual = {"meeting_id": "98765432109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}
    for step, data in (("T02_disposition_kadis", {}), ("T03_disposition_kabid", {}), ("T04_disposition_staf", {}),
                       ("T05_enter_meeting_details", manual), ("T06_report_meeting", {}),
                       ("T07_draft_letter", {}), ("T08_review_draft", {}), ("T09_sign_letter", {})):
        d.complete(step, data)
    assert set(d.ready()) == {"T10_acknowledge_receipt"}
    clock.set(d.instance().summary.meeting_start + timedelta(minutes=5))
    d.work()
    assert set(d.ready()) == {"T10_acknowledge_receipt"}


def test_lead_time_is_one_working_day(make_engine, clock):
    d = Driver(make_engine())
    friday_evening = datetime.fromisoformat("2026-12-11T17:00:00+08:00")
    clock.set(friday_evening)
    monday_morning = datetime.fromisoformat("2026-12-14T09:00:00+08:00")
    with pytest.raises(InvalidData) as caught:
        d.start(future_request(clock, start_at=monday_morning.isoformat()))
    message = caught.value.errors["start_at"][0]
    assert "1 hari kerja" in message and "Senin, 14 Desember 2026 pukul 07.30 WITA" not in message
    assert "Selasa, 15 Desember 2026 pukul 07.30 WITA" in message
    tuesday = datetime.fromisoformat("2026-12-15T09:00:00+08:00")
    assert d.start(future_request(clock, start_at=tuesday.isoformat())).summary.status == "running"


def test_reminders_and_escalations_are_mailed_over_smtp(make_engine, clock, smtp):
    import email
    inbox = Inbox()
    engine = mail_engine(make_engine, smtp(inbox))
    d = Driver(engine)
    d.start(future_request(clock))
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        d.complete(step)
    clock.advance(minutes=11)
    d.work()
    clock.advance(minutes=5)
    d.work()
    mails = [(to, email.message_from_bytes(content)) for _, to, content in inbox.received]
    reminders = [(to, m) for to, m in mails if "Pengingat" in m["Subject"]]
    escalations = [(to, m) for to, m in mails if "Eskalasi" in m["Subject"]]
    assert [to for to, _ in reminders] == [["staf@diskominfo.tarakankota.go.id"]]
    assert [to for to, _ in escalations] == [["subkoordinator@diskominfo.tarakankota.go.id"]]
    assert "jatuh tempo" in reminders[0][1].get_payload(decode=True).decode()
    d.work()
    assert len(inbox.received) == len(mails)  # each sent once
