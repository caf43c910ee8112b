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
from engine import Engine, Settings, Worker
from tests.api.accounts import PASSWORD, SECRET



@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A database file with the schema, the process and the demo data."""
    path = tmp_path_factory.mktemp("template") / "vicon.sqlite"
    engine = Engine(Settings(database_url=f"sqlite:///{path}", outbox_dir=path.parent / "outbox"))
    engine.setup()
    engine.seed_demo(PASSWORD)
    engine.db.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def make_app(template_db, tmp_path, clock):
    """Build an app (and its engine) on a fresh copy of the template database."""
    engines = []

    def build(settings=None, **engine_options):
        path = tmp_path / f"vicon-{len(engines)}.sqlite"
        shutil.copyfile(template_db, path)
        url = f"sqlite:///{path}"
        options = dict(database_url=url, outbox_dir=tmp_path / "outbox", **(settings or {}))
        engine = Engine(Settings(**options), clock=clock, **engine_options)
        engines.append(engine)
        config = Config(env="test", database_url=url, secret_key=SECRET, outbox_dir=tmp_path / "outbox")
        return create_app(config, engine)

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


class Api:
    """The Flask test client with bearer tokens for the demo users."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.engine = app.extensions["vicon"]
        self._tokens = {}

    def token(self, username: str) -> str:
        """A token of ``username``, signed in through the API (once per user)."""
        if username not in self._tokens:
            response = self.client.post("/api/v1/auth/token",
                                        json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.json
            self._tokens[username] = response.json["access_token"]
        return self._tokens[username]

    def headers(self, username: str | None) -> dict:
        """The Authorization header of ``username`` (none for None)."""
        return {"Authorization": f"Bearer {self.token(username)}"} if username else {}

    def call(self, method: str, path: str, username: str | None = None, **kwargs):
        """A request as ``username``; ``kwargs`` go to the test client."""
        headers = {**self.headers(username), **kwargs.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, username=None, **kwargs):
        """GET as ``username``."""
        return self.call("GET", path, username, **kwargs)

    def post(self, path, username=None, **kwargs):
        """POST as ``username``."""
        return self.call("POST", path, username, **kwargs)

    def work(self) -> int:
        """Run the worker once (external jobs, due timers)."""
        return Worker(self.engine).run_once()

    def count(self) -> tuple[int, int]:
        """(instances, audit events) as the admin sees them: proof that nothing was stored."""
        page = self.get("/instances?per_page=100", "admin").json
        events = sum(len(self.get(f"/instances/{item['id']}/events", "admin").json)
                     for item in page["items"])
        return page["total"], events
