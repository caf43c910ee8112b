"""API fixtures: an app on a fresh SQLite file with a fake clock and the demo
data seeded with a known password, and a client that signs in as any demo user.

The schema, the bundled process and the demo accounts are made once per test
session in a template file; each test copies it (seeding hashes 14 passwords).
"""
from __future__ import annotations

import shutil

import pytest

from api.app import create_app
from api.config import Config
from engine import Engine, Settings
from tests.api.accounts import PASSWORD, SECRET
from tests.api.client import Api


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A database file with the schema, the process and the demo data."""
    path = tmp_path_factory.mktemp("template") / "vicon.sqlite"
    engine = Engine(Settings(database_url=f"sqlite:///{path}", outbox_dir=path.parent / "outbox"))
    engine.setup()
    engine.seed_demo(PASSWORD)
    engine.db.dispose()  # the last connection checkpoints the WAL into the file
    return path


def app_on_copy(template_db, path, clock, settings=None, **engine_options):
    """An app (and its engine: ``app.extensions["vicon"]``) on a copy of the
    template database at ``path``, its outbox beside it."""
    shutil.copyfile(template_db, path)
    url = f"sqlite:///{path}"
    options = dict(database_url=url, outbox_dir=path.parent / "outbox", **(settings or {}))
    engine = Engine(Settings(**options), clock=clock, **engine_options)
    config = Config(env="test", database_url=url, secret_key=SECRET, outbox_dir=path.parent / "outbox")
    return create_app(config, engine)


@pytest.fixture
def make_app(template_db, tmp_path, clock):
    """Build an app (and its engine) on a fresh copy of the template database."""
    engines = []

    def build(settings=None, **engine_options):
        app = app_on_copy(template_db, tmp_path / f"vicon-{len(engines)}.sqlite", clock, settings,
                          **engine_options)
        engines.append(app.extensions["vicon"])
        return app

    yield build
    for engine in engines:
        engine.db.dispose()


@pytest.fixture
def app(make_app):
    """The app on a fresh database."""
    return make_app()


@pytest.fixture
def api(app):
    """A client that signs in as demo users."""
    return Api(app)
