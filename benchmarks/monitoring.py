"""Managers' pages on 100,000 requests: p50/p95 of the dashboard, the monthly
recap (page, CSV, PDF) and, when present, the request list and one request's
page, each read from the ``Server-Timing`` header the app sets (the time
spent inside the app, not a timed client).

The rows are bulk-inserted, consistent with what the engine writes: requests
over the last twelve months with their outcomes, the ready tasks of the open
ones, and the projected step times (``step_times``) of the finished ones.
"""
from __future__ import annotations

import os
import random
import re
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select

from engine import Engine, FakeClock, Settings
from engine.monitoring.projection import TOTAL, bucket, day_of, month_of
from engine.storage.models import Agency, Instance, ProcessVersion, ReadyTaskRow
from engine.storage.monitoring_models import StepDay, StepTime

from .postgres import bench_postgres

PASSWORD = "bench-pass"
NOW = datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc)  # Monday 09:00 WITA
OUTCOMES = (("fulfilled", 70), ("schedule_full", 6), ("withdrawn", 8), ("expired", 5), ("rejected", 5),
            (None, 6))  # None: still running
STEPS = (("T02_disposition_kadis", "Kadis", None, 120), ("T03_disposition_kabid", "Kabid", None, 90),
         ("T04_check_schedule", "Subkoordinator", None, 0), ("T04_disposition_staf", "Subkoordinator", None, 60),
         ("SP05_create_meeting", "Staf", "PT15M", 10), ("T06_report_meeting", "Staf", None, 30),
         ("T07_draft_letter", "Subkoordinator", None, 150), ("T08_review_draft", "Kabid", "P1D", 240),
         ("T09_sign_letter", "Kadis", None, 120), ("T09_dispatch_letter", "Kadis", None, 0),
         ("T10_acknowledge_receipt", "OPD", "P3D", 600))
# (element, lane, standard, typical office minutes)
PAGES = {"dashboard": "/dasbor", "recap page": "/rekap?bulan=2026-11", "recap CSV": "/rekap/2026-11.csv",
         "request list": "/pemantauan/permohonan", "one request": "/pemantauan/permohonan/{id}"}
# The officials' inbox (every ready task of their lanes) and an agency's own list.
INBOXES = (("inbox (Kadis)", "kadis", "/kotak-masuk"), ("inbox (Kabid)", "kabid", "/kotak-masuk"),
           ("agency's requests", "opd.dinkes", "/permohonan"))
TIMING = re.compile(r"app;dur=([0-9.]+)")


def _rows(process_version_id: int, agencies: list[int], count: int, rng: random.Random):
    """Instance, ready-task and step-time rows for ``count`` requests."""
    instances, tasks, steps = [], [], []
    outcomes, weights = zip(*OUTCOMES)
    for n in range(count):
        iid, created = str(uuid.uuid4()), NOW - timedelta(minutes=rng.randrange(365 * 24 * 60))
        outcome = rng.choices(outcomes, weights)[0]
        if outcome is None and created < NOW - timedelta(days=10):
            outcome = "fulfilled"  # old requests have ended
        agency = rng.choice(agencies)
        instances.append({"id": iid, "process_version_id": process_version_id,
                          "status": "running" if outcome is None else "completed", "outcome": outcome,
                          "agency_id": agency, "topic": f"Rapat koordinasi {n}", "letter_number": f"005/{n}/BENCH/2026",
                          "meeting_start": created + timedelta(days=5), "state": b"", "facts": {},
                          "lock_version": 1, "created_at": created, "updated_at": created, "created_by": "bench",
                          "head_hash": "", "event_count": 0})
        at, done = created, {"fulfilled": 11, "schedule_full": 3, "withdrawn": 3, "expired": 4, "rejected": 1}
        for element, lane, standard, typical in STEPS[:done.get(outcome, rng.randrange(1, 8))]:
            minutes = int(rng.expovariate(1 / typical)) if typical else 0
            end = at + timedelta(minutes=minutes)
            limit = {"PT15M": 15, "P1D": 450, "P3D": 1350}.get(standard)
            late = max(0, minutes - limit) if limit else 0
            steps.append({"instance_id": iid, "step": element, "lane": lane, "agency_id": agency, "started_at": at,
                          "ended_at": end, "month": month_of(end), "minutes": minutes, "standard": standard,
                          "due_at": at + timedelta(minutes=limit) if limit else None, "breached": late > 0,
                          "late_minutes": late, "actor": lane.lower()})
            at = end
        if outcome is None:
            element, lane = rng.choice(STEPS)[:2]
            tasks.append({"id": str(uuid.uuid4()), "instance_id": iid, "element_id": element, "title": element,
                          "lane": lane, "form_key": None, "agency_id": agency, "created_at": at,
                          "due_at": at + timedelta(days=1), "remind_at": None, "reminded_at": None})
    return instances, tasks, steps


def _days(steps: list[dict], days: dict) -> None:
    """Count step rows into the daily counts the projection keeps."""
    for row in steps:
        day = day_of(row["ended_at"])
        for key in ((day, row["step"], bucket(row["minutes"])), (day, row["step"], TOTAL)):
            finished, breached = days.get(key, (0, 0))
            days[key] = (finished + 1, breached + int(row["breached"]))


def seed(engine: Engine, count: int) -> None:
    """Bulk-insert ``count`` requests in batches."""
    rng = random.Random(100_000)
    days: dict = {}
    with engine.db.reading() as session:
        version = session.scalar(select(ProcessVersion.id).order_by(ProcessVersion.id.desc()))
        agencies = list(session.scalars(select(Agency.id)))
    for first in range(0, count, 10_000):
        instances, tasks, steps = _rows(version, agencies, min(10_000, count - first), rng)
        with engine.db.write_engine.begin() as conn:  # Core inserts: no ORM bookkeeping per row
            conn.execute(insert(Instance.__table__), instances)
            conn.execute(insert(ReadyTaskRow.__table__), tasks)
            conn.execute(insert(StepTime.__table__), steps)
        _days(steps, days)
    with engine.db.write_engine.begin() as conn:
        conn.execute(insert(StepDay.__table__), [{"day": d, "step": s, "bucket": b, "finished": f, "breached": x}
                                                  for (d, s, b), (f, x) in days.items()])


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def measure(app, path: str, n: int, username: str = "manager") -> tuple[float, float, float] | None:
    """The first (cold) time, then p50 and p95 of the app's own time for ``path``
    as ``username`` (None when the page is absent)."""
    from tests.web.browser import Pages  # signs in with the test password like a browser
    client = Pages(app, username)
    first = client.get(path)
    if first.status_code == 404:
        return None
    assert first.status_code == 200, (path, first.status_code)
    cold = float(TIMING.search(first.headers["Server-Timing"]).group(1))
    samples = []
    for _ in range(n):
        response = client.get(path)
        samples.append(float(TIMING.search(response.headers["Server-Timing"]).group(1)))
    return (cold, *_percentiles(samples))


def bench_monitoring(database_url: str | None = None, count: int | None = None):
    """Seed, then measure every page; yield the report lines as they come."""
    from api.app import create_app
    from api.config import Config
    count = count or int(os.environ.get("VICON_BENCH_MONITORING_N", "100000"))
    n = int(os.environ.get("VICON_BENCH_PAGE_N", "40"))
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp)}/bench.sqlite"
        engine = Engine(Settings(database_url=url, outbox_dir=Path(tmp) / "outbox"), clock=FakeClock(NOW))
        if database_url:
            engine.db.drop_schema()
        engine.setup()
        engine.seed_demo("test-pass")
        t0 = time.perf_counter()
        seed(engine, count)
        yield (f"monitoring on {engine.db.url.get_backend_name()}: {count:,} requests seeded in "
               f"{time.perf_counter() - t0:.0f} s")
        app = create_app(Config(env="test", database_url=url, secret_key="b" * 32, outbox_dir=Path(tmp) / "o"),
                         engine)
        with engine.db.reading() as session:
            some = session.scalar(select(Instance.id).limit(1))
        for name, path in PAGES.items():
            result = measure(app, path.format(id=some), n)
            yield f"  {name:<22} " + ("not built yet (hook)" if result is None else
                                      f"p50 {result[1]:7.1f} ms  p95 {result[2]:7.1f} ms  first {result[0]:7.1f} ms"
                                      + ("  (every breach listed)" if path.endswith(".csv") else "  (goal p95 < 100 ms)"))
        for name, username, path in INBOXES:
            result = measure(app, path, n, username)
            yield f"  {name:<22} p50 {result[1]:7.1f} ms  p95 {result[2]:7.1f} ms  first {result[0]:7.1f} ms"
        pdf = measure(app, "/rekap/2026-11.pdf", max(3, n // 8))
        yield f"  {'recap PDF':<22} p50 {pdf[1]:7.1f} ms  p95 {pdf[2]:7.1f} ms  (WeasyPrint layout)"
        engine.db.dispose()


def main() -> None:
    """Print the monitoring section (SQLite, and PostgreSQL when a URL is set)."""
    for line in bench_monitoring():
        print(line, flush=True)
    with bench_postgres() as url:
        if url is None:
            print("monitoring on PostgreSQL: skipped (no PostgreSQL: set VICON_BENCH_DATABASE_URL"
                  " or install postgresql)")
            return
        for line in bench_monitoring(url):
            print(line, flush=True)


if __name__ == "__main__":
    main()
