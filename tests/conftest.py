"""Shared fixtures: the bundled process, a fake clock."""
import os
from datetime import datetime, timezone

import pytest

from engine.runtime.clock import FakeClock
from tests.shared_data import SHARED


def pytest_configure(config):
    """CI (``VICON_REQUIRE_SHARED=1``) runs every test: a missing ../shared stops it, never skips.
    A parallel worker (pytest-xdist) gets a PostgreSQL database of its own."""
    if os.environ.get("VICON_REQUIRE_SHARED") == "1" and not SHARED.is_dir():
        raise pytest.UsageError(f"VICON_REQUIRE_SHARED=1 but {SHARED} is absent: the tests reading it would skip")
    worker = getattr(config, "workerinput", {}).get("workerid")
    url = os.environ.get("VICON_TEST_DATABASE_URL")
    if worker and url:
        os.environ["VICON_TEST_DATABASE_URL"] = _worker_database(url, worker)


def _worker_database(url: str, worker: str) -> str:
    """The URL of ``<database>_<worker>`` on the server of ``url``, created when missing:
    each test empties its database, so two workers must never share one."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    with psycopg.connect(host=base.host, port=base.port, user=base.username, password=base.password,
                         dbname=base.database, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """Hash at a low scrypt cost: demo seeds and sign-ins hashed at the shipped cost
    (about 50 ms each) were a tenth of the suite's time. Hashes name their cost, so
    checking is the same code at any cost (tests/engine/test_passwords.py)."""
    from engine.accounts import passwords
    shipped = passwords.COST
    passwords.COST = 2**10
    yield
    passwords.COST = shipped


@pytest.fixture(autouse=True, scope="session")
def walks_compared():
    """Every walk for ready or waiting tasks compared, as it goes, with SpiffWorkflow's own
    iterator (``engine.runtime.lean``): the whole suite is its test of equivalence."""
    from engine.runtime.lean import checking
    with checking():
        yield


@pytest.fixture
def clock():
    """A fake clock on a Monday morning, 09:00 WITA."""
    return FakeClock(datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc))


def future_request(clock, **overrides) -> dict:
    """A valid start form, for a meeting two days ahead at 10:00 WITA."""
    from datetime import timedelta
    start = (clock.now() + timedelta(days=2)).replace(hour=2, minute=0).astimezone(
        timezone(timedelta(hours=8)))
    data = {"topic": "Rapat koordinasi stunting", "start_at": start.isoformat(), "duration_minutes": 90,
            "participants": 40, "letter_number": "400.7/123/DINKES/2026", "letter_date": "2026-12-01",
            "contact_name": "Budi", "contact_email": "budi@example.go.id"}
    data.update(overrides)
    return data


def _reset_postgres(url):
    from engine.storage.db import Database
    db = Database(url)
    db.drop_schema()
    db.dispose()


def _fresh_postgres() -> str:
    """The test PostgreSQL database, emptied; the test skips where none is given (CI gives one)."""
    url = os.environ.get("VICON_TEST_DATABASE_URL")
    if not url:
        pytest.skip("VICON_TEST_DATABASE_URL is not set: no PostgreSQL server to test against "
                    "(.ci/run starts one)")
    _reset_postgres(url)
    return url


@pytest.fixture
def postgres_url() -> str:
    """A fresh PostgreSQL database, for tests of what only PostgreSQL does."""
    return _fresh_postgres()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path):
    """A fresh database of each kind; PostgreSQL only where CI provides one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/vicon.sqlite"
    return _fresh_postgres()


@pytest.fixture
def make_engine(database_url, clock, tmp_path):
    """Build engines on one database (a new one simulates a restart)."""
    from engine import Engine, Settings
    engines = []

    def build(**kwargs):
        settings = Settings(database_url=database_url, outbox_dir=tmp_path / "outbox",
                            **kwargs.pop("settings", {}))
        engine = Engine(settings, clock=clock, **kwargs)
        engine.setup()
        engines.append(engine)
        return engine

    yield build
    for engine in engines:
        engine.db.dispose()
