"""Pooled PostgreSQL connections: one that rested is asked at checkout and, when its server
session is gone, replaced, so the request is served; one given back a moment ago is used
without that round trip, and if its session died in that moment the request fails cleanly
(``Unavailable``, nothing stored) and the next one is served on a new connection."""
import psycopg
import pytest
from sqlalchemy import text

from engine import Unavailable
from engine.storage import db as storage_db
from engine.storage.db import Database

pytestmark = pytest.mark.postgres


@pytest.fixture
def db(postgres_url):
    database = Database(postgres_url)
    yield database
    database.dispose()


def _backend(database) -> int:
    with database.reading() as session:
        return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(database, pid: int) -> None:
    """End the server session ``pid`` from a connection outside the pool."""
    url = database.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)


def test_a_rested_connection_whose_session_is_gone_is_replaced_at_checkout(db, monkeypatch):
    first = _backend(db)
    _terminate(db, first)
    monkeypatch.setattr(storage_db, "PING_AFTER", 0.0)  # every connection counts as rested
    assert _backend(db) not in (first, None)


def test_a_connection_given_back_a_moment_ago_is_not_asked_and_fails_cleanly_if_dead(db, monkeypatch):
    monkeypatch.setattr(storage_db, "PING_AFTER", 3600.0)
    first = _backend(db)
    assert _backend(db) == first  # the same connection, used as it is
    _terminate(db, first)
    with pytest.raises(Unavailable):
        _backend(db)
    assert _backend(db) != first  # the dead one was dropped from the pool


def test_a_session_that_dies_before_a_commands_commit_is_unavailable_and_stores_nothing(
        postgres_url, clock, tmp_path):
    """The command's writes, the reads of its answer and the COMMIT go in one pipeline: a server
    session that dies first fails the command as every lost connection does (503, not 500)."""
    from engine import Engine, Settings
    from engine.audit import chain as audit
    from tests.conftest import future_request
    from tests.engine.driver import Driver
    engine = Engine(Settings(database_url=postgres_url, outbox_dir=tmp_path / "outbox"), clock=clock)
    engine.setup()
    d = Driver(engine)
    d.start(future_request(clock))
    events = len(engine.events(d.instance_id, d.actor("manager")))
    with pytest.raises(Unavailable):
        with engine.kernel.command(d.instance_id) as cmd:
            audit.append(cmd.session, cmd.instance, at=cmd.now, type_="note_added", actor="admin",
                         data={"note": "tidak tersimpan"})
            pid = cmd.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            _terminate(engine.db, pid)
    assert len(engine.events(d.instance_id, d.actor("manager"))) == events
    assert engine.verify_audit(d.instance_id).ok
    engine.db.dispose()
