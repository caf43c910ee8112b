"""An engine on the fake Zoom server, with short timeouts and backoffs.

Engines run on a copy of one SQLite file made once per test session (schema,
process, demo accounts): seeding hashes 14 passwords.
"""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from engine import Engine, Settings, Worker, ZoomSettings
from engine.storage.models import Booking, Job
from tests.engine.driver import PASSWORD, Driver
from tests.fakes.zoom_server import DEMO_HOSTS, FakeZoomServer

TIMEOUT = 0.3  # the fake hangs longer than this when told to time out
HANG = 0.6


@pytest.fixture
def zoom():
    """A fresh fake Zoom account with the two demo hosts."""
    server = FakeZoomServer(hosts=DEMO_HOSTS).start()
    yield server
    server.stop()


def zoom_settings(server, **overrides) -> ZoomSettings:
    """Settings that point at ``server``, with test-sized waits."""
    s = server.state
    options = dict(account_id=s.account_id, client_id=s.client_id, client_secret=s.client_secret,
                   base_url=server.base_url, oauth_url=server.oauth_url, timeout_seconds=TIMEOUT,
                   max_tries=3, backoff_seconds=0.01, max_wait_seconds=1.0)
    return ZoomSettings(**{**options, **overrides})


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory):
    """A SQLite file with the schema, the process and the demo data."""
    path = tmp_path_factory.mktemp("zoom-template") / "vicon.sqlite"
    engine = Engine(Settings(database_url=f"sqlite:///{path}", outbox_dir=path.parent / "outbox"))
    engine.setup()
    engine.seed_demo(PASSWORD)
    engine.close()
    return path


class SeededDriver(Driver):
    """A Driver on an engine whose database is seeded already."""

    def __init__(self, engine):
        self.engine, self.restart, self.instance_id = engine, None, None


@pytest.fixture
def make_zoom_engine(seeded_db, tmp_path, clock, zoom):
    """Build engines on a fresh copy of the seeded database, meetings made at ``zoom``."""
    path, engines = tmp_path / "vicon.sqlite", []
    shutil.copyfile(seeded_db, path)

    def build(**settings):
        options = {"meeting_provider": "zoom", "zoom": zoom_settings(zoom), "job_backoff_seconds": 1.0,
                   "job_max_attempts": 3, "busy_sync_seconds": 3600, **settings}
        engine = Engine(Settings(database_url=f"sqlite:///{path}", outbox_dir=tmp_path / "outbox",
                                 **options), clock=clock)
        engines.append(engine)
        return engine
    yield build
    for engine in engines:
        engine.close()


@pytest.fixture
def zd(make_zoom_engine):
    """A driver on an engine that makes meetings at the fake Zoom."""
    return SeededDriver(make_zoom_engine())


def to_meeting_step(d, request):
    """Start ``request`` and take it through the dispositions to step 5 (the job queued and run)."""
    d.start(request)
    d.complete("T02_disposition_kadis")
    d.complete("T03_disposition_kabid")
    d.complete("T04_disposition_staf")


def drain(d, clock, rounds: int = 8, step_seconds: int = 120) -> None:
    """Run the worker, moving the clock past each backoff, until no job waits."""
    for _ in range(rounds):
        Worker(d.engine).run_once()
        if not jobs(d, "pending", "running"):
            return
        clock.advance(seconds=step_seconds)


def jobs(d, *statuses) -> list:
    """The instance's jobs in ``statuses``."""
    with d.engine.db.reading() as session:
        return list(session.scalars(select(Job).where(Job.instance_id == d.instance_id,
                                                      Job.status.in_(statuses))))


def booking_host(d) -> str | None:
    """The host account booked for the instance."""
    with d.engine.db.reading() as session:
        return session.scalar(select(Booking.host_id).where(Booking.instance_id == d.instance_id))


def marker(d) -> str:
    """The text that ties the instance's meeting to it at Zoom."""
    return f"vicon:{d.instance_id}"
