"""Load and fault tests against real servers on loopback (marker ``load``):
PostgreSQL when VICON_TEST_DATABASE_URL is set (as in CI), SQLite otherwise.
Each test is bounded in time; ``VICON_LOAD_SECONDS`` lengthens the run of
concurrent officials (CI runs the default)."""
from __future__ import annotations

import os

import pytest

from engine import Engine, Settings
from tests.load.harness import Cluster


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/load/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.load)


@pytest.fixture
def load_database(tmp_path):
    """A fresh database: the CI PostgreSQL (emptied) or a SQLite file."""
    url = os.environ.get("VICON_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path}/vicon.sqlite"
    engine = Engine(Settings(database_url=url))
    engine.db.drop_schema()
    engine.db.dispose()
    return url


@pytest.fixture
def cluster(load_database, tmp_path):
    """Processes on the test's database, stopped afterwards (their logs in tmp_path)."""
    made = Cluster(load_database, tmp_path)
    yield made
    made.close()


@pytest.fixture
def inspector(load_database, tmp_path):
    """An engine in the test process on the same database, to check what was stored."""
    engines = []

    def build():
        engine = Engine(Settings(database_url=load_database, outbox_dir=tmp_path / "outbox"))
        engines.append(engine)
        return engine
    yield build
    for engine in engines:
        engine.db.dispose()
