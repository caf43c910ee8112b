"""``make bench``: ratios against a raw in-memory SpiffWorkflow run measured
in the same process and run."""
from __future__ import annotations

import contextlib
import logging
import os
import platform
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from engine import FakeClock
from engine.definitions.model import read_model
from engine.definitions.xmlsafe import parse_xml
from engine.letters import page_images
from engine.runtime.state import dump_default

from . import raw
from .facade import FacadeRun, build_engine
from .fixtures import ANSWERS, request_at

ROOT = Path(__file__).resolve().parents[1]
BPMN = ROOT / "processes" / "zoom_meeting_request.bpmn"


def median_ms(fn, n: int, warmup: int = 3) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def raw_runner(manual_meeting: bool = False):
    """A function running one raw instance (the meeting made by the stub, or by hand)."""
    spec, subs = raw.parse(str(BPMN))
    start = datetime(2026, 12, 9, 2, 0, tzinfo=timezone.utc)
    model = read_model(parse_xml(BPMN.read_bytes()))
    dues = {f"due_{e.id}": (start + timedelta(days=30)).isoformat() for e in model.timed_elements()}
    args = (spec, subs, request_at(start), ANSWERS, dues, manual_meeting)
    assert raw.run_instance(*args).is_completed()
    return lambda: raw.run_instance(*args)


def bench_raw(n: int, manual_meeting: bool = False) -> float:
    """Median ms per raw instance (the meeting made by the stub, or by hand)."""
    return median_ms(raw_runner(manual_meeting), n)


def http_against_raw(n: int, database_url: str | None = None) -> tuple[float, float]:
    """Commands' ms per fulfilled request over HTTP (by hand) and the raw run by hand,
    timed three times after each request so the machine's load weighs on both."""
    from .http import bench_http
    run_raw, samples = raw_runner(manual_meeting=True), []

    def between():
        for _ in range(3):
            started = time.perf_counter()
            run_raw()
            samples.append((time.perf_counter() - started) * 1000)
    http_ms = bench_http(n, median_ms, database_url, between)
    return http_ms, statistics.median(samples)


def bench_facade(n: int, pdf: bool = True) -> tuple[float, dict]:
    """Median ms per instance through the facade, and stored sizes of the last one."""
    with tempfile.TemporaryDirectory() as tmp, _quiet(page_images.__name__, not pdf):
        clock = FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc))
        engine = build_engine(Path(tmp), clock, pdf)
        run = FacadeRun(engine)
        ms = median_ms(run.one, n)
        sizes = stored_sizes(engine, run.one())
        engine.db.dispose()
    return ms, sizes


def stored_sizes(engine, instance_id: str) -> dict:
    """Bytes stored for an instance against SpiffWorkflow's default serialization."""
    from engine.runtime.state import load_state
    from engine.storage.packing import unpacked
    from engine.storage.models import Instance, ProcessVersion
    with engine.db.reading() as session:
        row = session.get(Instance, instance_id)
        process = engine.versions.compiled(session.get(ProcessVersion, row.process_version_id))
        workflow = load_state(row.state, process.spec, process.subprocess_specs, engine.runner.script_engine)
        return {"stored": len(row.state), "default": len(dump_default(workflow)),
                "stored_uncompressed": len(unpacked(row.state))}


@contextlib.contextmanager
def _quiet(logger_name: str, quiet: bool):
    """Warnings of ``logger_name`` left out while the block runs (when ``quiet``): without the
    PDF layout the stand-in "PDF" has no pages to draw, which the worker rightly warns of once
    a letter, and which says nothing about the bench."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    if quiet:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def machine() -> str:
    """What the numbers were measured on."""
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def commands_on_postgres(facade_n: int, http_n: int, raw_ms: float, raw_manual_ms: float) -> None:
    """The command path's figures again on PostgreSQL (a throw-away local cluster, or
    ``VICON_BENCH_DATABASE_URL``), against the same raw baselines."""
    from .commands import measure, report as commands_report, report_round_trips
    from .postgres import bench_postgres
    from .round_trips import tracing
    with bench_postgres() as url:
        if url is None:
            print("command path on PostgreSQL: skipped (no PostgreSQL: set VICON_BENCH_DATABASE_URL"
                  " or install postgresql)")
            return
        commands_report(measure(facade_n, database_url=url, baseline=raw_runner()), raw_ms, "PostgreSQL")
        with tracing() as tracer:
            report_round_trips(measure(2, warmup=1, database_url=url, tracer=tracer))
        http_ms, beside = http_against_raw(http_n, url)
        print(f"HTTP API on PostgreSQL, by hand, commands only:           {http_ms:8.2f} ms"
              f"  ratio {http_ms / beside:5.2f}x against {beside:.2f} ms raw  (binding <= 15x, stretch 8x)")


def main() -> None:
    """Measure and print every ratio."""
    print(f"machine: {machine()}")
    raw_n = int(os.environ.get("VICON_BENCH_RAW_N", "300"))
    raw_ms = bench_raw(raw_n)
    raw_manual_ms = bench_raw(raw_n, manual_meeting=True)
    print(f"raw SpiffWorkflow in memory, meeting by stub (baseline):  {raw_ms:8.2f} ms per fulfilled instance")
    print(f"raw SpiffWorkflow in memory, meeting by hand (baseline):  {raw_manual_ms:8.2f} ms")
    facade_n = int(os.environ.get("VICON_BENCH_FACADE_N", "30"))
    facade_ms, sizes = bench_facade(facade_n)
    print(f"engine facade, SQLite file (WAL), meeting by stub:        {facade_ms:8.2f} ms"
          f"  ratio {facade_ms / raw_ms:5.2f}x  (target <= 3x; includes 2 letter PDFs)")
    bare_ms, _ = bench_facade(facade_n, pdf=False)
    print(f"  the same without the PDF layout of the letters:         {bare_ms:8.2f} ms"
          f"  ratio {bare_ms / raw_ms:5.2f}x")
    from .commands import measure, report as commands_report
    # per command, the worker's letters, end to end; the ratio against raw runs taken between
    # the requests, so both see the same load
    commands_report(measure(facade_n, baseline=raw_runner()), raw_ms)
    from .against_main import report as against_main_report
    against_main_report(int(os.environ.get("VICON_BENCH_MAIN_N", "20")))  # must not drop below main's rate
    http_n = int(os.environ.get("VICON_BENCH_HTTP_N", "15"))
    http_ms, beside = http_against_raw(http_n)
    print(f"HTTP API as `make run` serves it, by hand, commands only: {http_ms:8.2f} ms"
          f"  ratio {http_ms / beside:5.2f}x against {beside:.2f} ms raw  (binding <= 15x, stretch 8x)")
    commands_on_postgres(facade_n, http_n, raw_ms, raw_manual_ms)
    print("  apart: with VICON_SIGNATURE_PROVIDER=bsre the Kadis's signature waits on BSrE, an external signer"
          " called in that request; not measured here, excluded from the command-path figures")
    from .timers import due_lookup, timer_lateness
    with tempfile.TemporaryDirectory() as tmp:
        median_late, max_late = timer_lateness(Path(tmp), int(os.environ.get("VICON_BENCH_TIMERS_N", "10")))
    print(f"timer lateness under the worker loop (real clock): median {median_late:.2f} s, max {max_late:.2f} s"
          "  (target: within 5 s)")
    with tempfile.TemporaryDirectory() as tmp:
        indexed, scan = due_lookup(Path(tmp), int(os.environ.get("VICON_BENCH_WAITING_N", "100000")))
    print(f"due-timer lookup, 100,000 waiting instances: {indexed:.3f} ms indexed vs {scan:.2f} ms full scan"
          f"  ratio {indexed / scan:.4f}")
    ratio = sizes["stored"] / sizes["default"]
    print(f"stored bytes per instance: {sizes['stored']} (Zstandard; {sizes['stored_uncompressed']} as JSON) vs "
          f"{sizes['default']} default serialization: ratio {ratio:.1%}  (target <= 40%)")
    from .scaling import report as scaling_report
    scaling_report()
    from .monitoring import main as monitoring_report
    monitoring_report()  # managers' pages on 100,000 requests (Server-Timing p50/p95)


if __name__ == "__main__":
    main()
