"""A month of requests with known figures for the dashboard and the recap:
three fulfilled (one Kabid review a working day late, escalated), one
expired, one waiting at the Kadis's disposition.

Building it drives the whole SOP several times, so modules whose tests only
read it build it once (``module_engine``), on a database of their own."""
from __future__ import annotations

import contextlib
import os
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine import Engine, Settings
from engine.runtime.clock import FakeClock
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, to_signature

KABID = "Kepala Bidang Aplikasi dan Informatika (demo)"


def fulfil(d, clock, agency, hour, late_review=False):
    """Take a request from submission to the agency's receipt."""
    to_signature_before_review(d, clock, agency, hour)
    if late_review:
        clock.advance(days=2)  # Monday 09:00 -> Wednesday 09:00: due Tuesday 09:00
        d.work()  # the review's timer fires: an escalation
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    d.complete("T10_acknowledge_receipt", username=f"opd.{agency}")


def to_signature_before_review(d, clock, agency, hour):
    """Submit and walk to the Kabid's review (T08)."""
    from tests.engine.letter_setup import to_draft
    to_draft(d, clock, agency, hour)
    d.complete("T07_draft_letter", DRAFT)


def build(engine, clock):
    """Run the scenario; return the driver."""
    d = Driver(engine)
    fulfil(d, clock, "dinkes", 0)
    fulfil(d, clock, "disdik", 2)
    d.start(dict(future_request(clock), start_at=_at(clock, 6)), agency="dishub")
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti"], "urgency": "biasa"})
    d.complete("T03_disposition_kabid")
    expiring = d.instance_id
    fulfil(d, clock, "dinkes", 4, late_review=True)
    meeting = d.engine.get_instance(expiring, d.actor("manager")).summary.meeting_start
    clock.set(meeting + timedelta(seconds=1))
    d.work()
    d.start(future_request(clock), agency="dinkes")  # waits at T02
    return d


def _at(clock, hour):
    from datetime import datetime
    start = datetime.fromisoformat(future_request(clock)["start_at"])
    return (start + timedelta(hours=hour)).isoformat()


def monday_clock() -> FakeClock:
    """The tests' fake clock (tests/conftest.py ``clock``): Monday 7 December 2026, 09:00 WITA."""
    return FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc))


@contextlib.contextmanager
def own_database(kind: str, folder, name: str):
    """A database URL for one module's scenario: a file in ``folder``, or on the
    tests' PostgreSQL server a database of its own named ``vicon_test_<name>``
    (the per-test ``database_url`` resets the shared one under it)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/vicon.sqlite"
        return
    url = os.environ.get("VICON_TEST_DATABASE_URL")
    if not url:
        pytest.skip("VICON_TEST_DATABASE_URL is not set: no PostgreSQL server to test against "
                    "(.ci/run starts one)")
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    database = f"vicon_test_{name}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        yield make_url(url).set(database=database).render_as_string(hide_password=False)
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
    finally:
        server.dispose()


@contextlib.contextmanager
def module_engine(request, tmp_path_factory, **settings):
    """An engine with the demo data on a fresh database of the kind ``request.param``
    names (``sqlite``, ``postgres``), with its own Monday clock, for one module."""
    module = request.module.__name__.rsplit(".", 1)[-1]
    folder = tmp_path_factory.mktemp(module)
    with own_database(request.param, folder, module) as url:
        engine = Engine(Settings(database_url=url, outbox_dir=folder / "outbox", **settings),
                        clock=monday_clock())
        engine.setup()
        try:
            yield engine
        finally:
            engine.db.dispose()
