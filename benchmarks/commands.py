"""The command path through the facade, command by command: p50 time and SQL
statements of each SOP command (the worker's time apart), the worker's side
(letters laid out, time per letter) and requests fully completed per second
with the worker running after every command, letters included."""
from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from engine import FakeClock, Worker

from .facade import build_engine
from .fixtures import LANE_USERS, answers_for, request_at
from .statements import counting


@dataclass
class CommandFigures:
    """What one run measured."""

    ms: dict = field(default_factory=lambda: defaultdict(list))  # command -> ms per call
    statements: dict = field(default_factory=lambda: defaultdict(list))  # command -> statements per call
    letters_ms: list = field(default_factory=list)  # the worker's layout of each letter
    commands_ms: list = field(default_factory=list)  # per fulfilled request: the commands only
    total_ms: list = field(default_factory=list)  # per fulfilled request: commands and worker
    baseline_ms: list = field(default_factory=list)  # the raw run, timed between the requests
    round_trips: dict = field(default_factory=lambda: defaultdict(list))  # command -> round trips per call
    tracer: object = None  # a ``round_trips.Tracer`` when round trips are counted (PostgreSQL)


def _timed(figures: CommandFigures, name: str, fn):
    trips = figures.tracer.counting() if figures.tracer else contextlib.nullcontext()
    with counting() as counted, trips as tripped:
        started = time.perf_counter()
        value = fn()
        spent = (time.perf_counter() - started) * 1000
    figures.ms[name].append(spent)
    figures.statements[name].append(counted.count)
    if tripped is not None:
        figures.round_trips[name].append(tripped.count)
    return value, spent


def _one(engine, worker, actors, figures: CommandFigures, index: int) -> None:
    started, commands = time.perf_counter(), 0.0
    request = request_at(engine.clock.now() + timedelta(days=2, hours=3 * index))
    view, spent = _timed(figures, "start", lambda: engine.start("zoom_meeting_request", request, actors["OPD"]))
    commands += spent
    while True:
        if worker.run_once():  # a job ran: the tasks changed since the command
            view = engine.get_instance(view.summary.id, actors["Kadis"])
        if not view.tasks:
            break
        task = view.tasks[0]
        view, spent = _timed(figures, task.name, lambda: engine.complete_task(
            task.id, answers_for(task.name), actors[task.lane]))
        commands += spent
    figures.commands_ms.append(commands)
    figures.total_ms.append((time.perf_counter() - started) * 1000)


def measure(n: int, warmup: int = 3, database_url: str | None = None, baseline=None,
            tracer=None) -> CommandFigures:
    """Run ``warmup`` + ``n`` fulfilled requests on a fresh SQLite file (or on ``database_url``,
    emptied first); the figures of the last ``n``. ``baseline``: the raw run, timed three
    times after each request (the machine's load then weighs on both sides of the ratio).
    ``tracer``: count each command's round trips to PostgreSQL (``round_trips.tracing``)."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc))
        engine = build_engine(Path(tmp), clock, database_url=database_url)
        actors = {lane: engine.actor(user) for lane, user in LANE_USERS.items()}
        worker, press = Worker(engine), engine.letters.press
        layout, figures = press.pdf, CommandFigures(tracer=tracer)

        def timed_layout(kind, context):
            started = time.perf_counter()
            pdf = layout(kind, context)
            figures.letters_ms.append((time.perf_counter() - started) * 1000)
            return pdf
        press.pdf = timed_layout
        for index in range(warmup):
            _one(engine, worker, actors, CommandFigures(tracer=tracer), index + 1)
        figures.letters_ms.clear()
        for index in range(n):
            _one(engine, worker, actors, figures, warmup + index + 1)
            for _ in range(3 if baseline is not None else 0):
                started = time.perf_counter()
                baseline()
                figures.baseline_ms.append((time.perf_counter() - started) * 1000)
        engine.db.dispose()
    return figures


def report(figures: CommandFigures, raw_ms: float, database: str = "SQLite") -> None:
    """Print the per-command table, the worker's letters and the end-to-end rate."""
    commands = statistics.median(figures.commands_ms)
    if figures.baseline_ms:  # the raw run timed between these requests
        raw_ms = statistics.median(figures.baseline_ms)
    print(f"engine facade on {database}, the commands only (p50 per fulfilled request): {commands:8.2f} ms"
          f"  ratio {commands / raw_ms:5.2f}x against {raw_ms:.2f} ms raw  (binding <= 5x, stretch 3x)")
    print(f"  per command ({database}): p50 ms, SQL statements")
    for name in sorted(figures.ms, key=lambda n: (n != "start", n)):
        print(f"    {name:28s} {statistics.median(figures.ms[name]):7.2f} ms "
              f"{statistics.median(figures.statements[name]):5.0f} statements")
    if figures.letters_ms:
        per_letter = statistics.median(figures.letters_ms)
        print(f"  worker: {len(figures.letters_ms)} letters laid out, p50 {per_letter:.1f} ms per letter"
              f" ({1000 / per_letter:.1f} letters/s)")
    total = statistics.median(figures.total_ms)
    print(f"  end to end with the worker (letters included): {total:.1f} ms per request,"
          f" {1000 / total:.2f} requests/s")


def report_round_trips(figures: CommandFigures) -> None:
    """Print each command's round trips to the database server (a traced run's)."""
    print("  round trips to PostgreSQL per command (libpq's trace, a walk of its own): " + ", ".join(
        f"{name} {statistics.median(counts):.0f}" for name, counts in
        sorted(figures.round_trips.items(), key=lambda item: (item[0] != "start", item[0]))))
    print(f"  per fulfilled request: {sum(statistics.median(c) for c in figures.round_trips.values()):.0f}")


if __name__ == "__main__":
    from .run import bench_raw
    report(measure(10), bench_raw(50))
