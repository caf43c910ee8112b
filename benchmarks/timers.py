"""Timer lateness under the real worker loop, and the due-timer lookup with
100,000 waiting instances (indexed against a full scan of the same table)."""
from __future__ import annotations

import statistics
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, text

from engine import Engine, Settings, Worker
from engine.storage.models import Instance

from .fixtures import LANE_USERS, answers_for, request_at

PASSWORD = "bench-pass"


def _short_deadlines(start, duration):
    # every time standard becomes 2 s, so a batch of real timers falls due within the run
    return start + timedelta(seconds=2)


def timer_lateness(tmpdir: Path, n: int) -> tuple[float, float]:
    """Median and max seconds between a timer's due time and its firing."""
    settings = Settings(database_url=f"sqlite:///{tmpdir}/timers.sqlite", outbox_dir=tmpdir / "outbox",
                        lead_time="PT1M")
    engine = Engine(settings, deadline=_short_deadlines)
    engine.setup()
    engine.seed_demo(PASSWORD)
    stop = threading.Event()
    loop = threading.Thread(target=Worker(engine).run_forever, args=(stop,), daemon=True)
    loop.start()
    try:
        actors = {lane: engine.actor(user) for lane, user in LANE_USERS.items()}
        for i in range(n):
            _to_step5(engine, actors, datetime.now(timezone.utc) + timedelta(days=3, hours=3 * i))
        time.sleep(4)
        lateness = _lateness(engine)
    finally:
        stop.set()
        loop.join(10)
        engine.close()
    return statistics.median(lateness), max(lateness)


def _to_step5(engine, actors, start):
    view = engine.start("zoom_meeting_request", request_at(start), actors["OPD"])
    for _ in range(3):
        task = view.tasks[0]
        view = engine.complete_task(task.id, answers_for(task.name), actors[task.lane])


def _lateness(engine) -> list[float]:
    with engine.db.reading() as session:
        rows = session.execute(text("SELECT at, data FROM audit_events WHERE type = 'timer_fired'")).all()
    late = []
    for at, data in rows:
        due = datetime.fromisoformat(__import__("json").loads(data)["due"]).astimezone(timezone.utc)
        fired = at if isinstance(at, datetime) else datetime.fromisoformat(at)
        late.append((fired.replace(tzinfo=timezone.utc) - due).total_seconds())
    return late


def due_lookup(tmpdir: Path, count: int, repeats: int = 200) -> tuple[float, float]:
    """Median ms of the worker's due-timer lookup: with the index, and forced to scan."""
    engine = Engine(Settings(database_url=f"sqlite:///{tmpdir}/lookup.sqlite", outbox_dir=tmpdir / "o"))
    engine.setup()
    now = datetime.now(timezone.utc)
    with engine.db.transaction() as session:
        version_id = session.execute(text("SELECT id FROM process_versions LIMIT 1")).scalar()
        session.execute(insert(Instance), [_waiting_row(version_id, now, i) for i in range(count)])
    queries = {"indexed": "SELECT id FROM instances WHERE next_timer_at <= :now AND status IN ('running', 'error') "
                          "ORDER BY next_timer_at LIMIT 1",
               "scan": "SELECT id FROM instances NOT INDEXED WHERE next_timer_at <= :now "
                       "AND status IN ('running', 'error') ORDER BY next_timer_at LIMIT 1"}
    results = {}
    with engine.db.read_engine.connect() as conn:
        for name, sql in queries.items():
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                conn.execute(text(sql), {"now": now.strftime("%Y-%m-%d %H:%M:%S.%f")}).first()
                samples.append((time.perf_counter() - t0) * 1000)
            results[name] = statistics.median(samples)
    engine.close()
    return results["indexed"], results["scan"]


def _waiting_row(version_id: int, now: datetime, i: int) -> dict:
    due = now + timedelta(minutes=1 + i % 500_000)  # none due yet: the lookup finds nothing, as when idle
    return {"id": str(uuid.uuid4()), "process_version_id": version_id, "status": "running", "agency_id": None,
            "topic": "", "letter_number": "", "state": b"", "lock_version": 1, "next_timer_at": due,
            "created_at": now, "updated_at": now, "head_hash": "", "event_count": 0, "facts": {}}
