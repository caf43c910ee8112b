"""Demo mode's history: past requests driven through the engine with a
clock in the past, chains intact, seeded once, requests in progress today."""
import logging
import random
from datetime import timedelta

from sqlalchemy import select

from engine.demo.history import OPEN, History, seed_history
from engine.storage.models import Instance

PASSWORD = "test-pass"


def test_history_is_real_seeded_once_and_fills_the_dashboard(make_engine, clock, caplog):
    engine = make_engine()
    engine.seed_demo(PASSWORD)
    with caplog.at_level(logging.ERROR, logger="vicon"):
        seeded = seed_history(engine, months=2)
    # a request the seeding gives up on is logged, not raised (the demo must start): none here
    assert not [r for r in caplog.records if "not completed" in r.getMessage()]
    assert seeded > len(OPEN) and seed_history(engine, months=2) == 0
    with engine.db.reading() as session:
        rows = session.execute(select(Instance.id, Instance.created_at, Instance.status)).all()
    assert len(rows) == seeded
    assert all(created <= clock.now() for _, created, _ in rows)
    assert all(engine.verify_audit(instance_id).ok for instance_id, _, _ in rows)
    board = engine.monitoring.dashboard(engine.actor("manager"))
    assert board.running == len(OPEN) == sum(s.waiting for s in board.steps)
    steps = {s.id: s for s in board.steps}
    assert steps["T02_disposition_kadis"].waiting == 2 and steps["T08_review_draft"].overdue == 1
    outcomes = {o.outcome for o in board.outcomes}
    assert {"fulfilled", "running"} <= outcomes and len(outcomes) >= 4
    assert sum(c.finished for c in board.compliance) > 0


def test_a_request_meant_to_be_fulfilled_that_finds_the_schedule_full_is_declined_not_abandoned(
        make_engine, clock, caplog, monkeypatch):
    # seeded requests and the Zoom app's meetings can take every host at a meeting's time by chance
    engine = make_engine()
    engine.seed_demo(PASSWORD)
    history = History(engine, clock, engine.calendar.calendar(), random.Random(7))
    history.limit, history.stop = clock.now() + timedelta(days=30), None
    meeting = history._meeting_time()
    history._fill_hosts(meeting)
    monkeypatch.setattr(history, "_meeting_time", lambda: meeting)
    with caplog.at_level(logging.ERROR, logger="vicon"):
        history._one("fulfilled", 0, clock.now(), None)
    assert not [r for r in caplog.records if "not completed" in r.getMessage()]
    with engine.db.reading() as session:
        [(instance_id, status, outcome)] = session.execute(select(Instance.id, Instance.status, Instance.outcome)).all()
    assert (status, outcome) == ("completed", "schedule_full") and engine.verify_audit(instance_id).ok
