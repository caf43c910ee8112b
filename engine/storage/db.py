"""Database set-up: SQLite (WAL, writers take the lock up front) or PostgreSQL."""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from engine.errors import Unavailable
from engine.storage import json_text, metadata, prepared, schema
from engine.storage.desks import Desks


def _json_column_text(value) -> str:
    """A JSON column's text (every command writes the request's facts and its audit events'
    data; the standard library's encoder took several times as long as orjson)."""
    return json_text.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


# every engine's JSON columns: written and read through ``json_text``
_JSON = {"json_serializer": _json_column_text, "json_deserializer": json_text.loads}


def _sqlite_engine(url, immediate: bool):
    path = url.database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **_JSON)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Commands take the write lock at BEGIN, so a second writer waits for
        # the first to commit and then reads fresh state (no stale-snapshot
        # upgrade failures); reads begin deferred.
        prepared.run_text(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN")  # on the driver: every command's first

    return engine


@contextlib.contextmanager
def _unavailable_when_down():
    """A lost or refused database connection becomes ``Unavailable`` (nothing
    was stored); SQLite's "database is locked" stays as it is (callers map it)."""
    try:
        yield
    except IntegrityError:
        raise
    except DBAPIError as exc:  # a lost connection may surface as any of the driver's errors (a pipeline's)
        if "locked" in str(exc).lower() or not _connection_lost(exc):
            raise
        raise Unavailable("the database is not answering; try again",
                          "basis data sedang tidak menjawab; tidak ada yang disimpan. "
                          "Coba lagi sebentar lagi") from exc


def _connection_lost(exc) -> bool:
    if getattr(exc, "connection_invalidated", False) or isinstance(exc, InterfaceError):
        return True
    text_ = str(exc).lower()
    return any(m in text_ for m in ("connection", "server closed", "terminating", "shutting down",
                                    "starting up", "could not connect", "the database system"))


class ReadOnlySession(RuntimeError):
    """A read session was about to write (a write belongs in ``Database.transaction``)."""


def _refuse_writes(session, _context, _instances) -> None:
    raise ReadOnlySession(f"a read session would write {len(session.new)} new, {len(session.dirty)} changed "
                          f"and {len(session.deleted)} deleted rows")


PING_AFTER = 1.0  # seconds a pooled connection may rest before its checkout asks the server first
_RESTED = "vicon.rested_since"  # key of a pooled connection's ``info``: when it was last given back


def _ping_when_rested(engine) -> None:
    """Check a pooled connection at checkout when it has rested ``PING_AFTER`` or longer; a dead
    one is replaced (the pool retries with a new connection). Checking every checkout, as
    ``pool_pre_ping`` does, cost a round trip per transaction; a connection given back within
    the last second is used as it is, and if the server restarted in that second, the request
    fails as any request does while the server is down (nothing stored, try again)."""
    @event.listens_for(engine, "connect")
    def _new(_driver, record):
        record.info[_RESTED] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _given_back(_driver, record):
        record.info[_RESTED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(driver, record, _proxy):
        if time.monotonic() - record.info.get(_RESTED, 0.0) < PING_AFTER:
            return
        try:
            engine.dialect.do_ping(driver)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError("the pooled connection is gone") from exc


class Database:
    """Engines and sessions for one database URL."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(self.url, immediate=True)
            prepared.read_at_commit(self.write_engine)
            self.read_engine = _sqlite_engine(self.url, immediate=False)
        else:
            self.write_engine = create_engine(self.url, pool_size=10, max_overflow=20, pool_use_lifo=True, **_JSON)
            _ping_when_rested(self.write_engine)
            prepared.send_later_writes(self.write_engine)
            # a read needs no transaction of its own: under READ COMMITTED each statement sees
            # what was committed before it either way, and BEGIN and ROLLBACK were two round trips
            # of every page and every signed-in request (the rollback also dropped the driver's
            # prepared statements)
            self.read_engine = self.write_engine.execution_options(isolation_level="AUTOCOMMIT")
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)
        # SQLite's reads are in a transaction already; its writer's would take the write lock
        self._stream = sessionmaker(self.read_engine if self.is_sqlite else self.write_engine,
                                    expire_on_commit=False)
        for reads in (self._read, self._stream):
            event.listen(reads, "before_flush", _refuse_writes)
        # PostgreSQL's write sessions are kept between transactions (``desks``); SQLite's
        # writer takes the file's lock at its BEGIN, and a backup's restore replaces the file
        self._desks = None if self.is_sqlite else Desks(self.write_engine, self._write, lambda: PING_AFTER)

    def upgrade_schema(self) -> None:
        """Bring the schema to the newest migration (see ``schema.upgrade``)."""
        schema.upgrade(self)

    def take_turns(self, session) -> None:
        """Make concurrent start-ups in ``session``'s transaction wait for each
        other (a PostgreSQL advisory lock held until commit; SQLite's writers
        wait at BEGIN IMMEDIATE already)."""
        schema.lock(session.connection())

    def drop_schema(self) -> None:
        """Drop every table, Alembic's version table included (tests only)."""
        metadata.target().drop_all(self.write_engine)
        with self.write_engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {schema.VERSION_TABLE}"))

    @contextlib.contextmanager
    def transaction(self):
        """A write transaction: committed on success, rolled back on error."""
        if self._desks is None:
            with _unavailable_when_down(), self._write() as session, session.begin():
                yield session
            return
        with _unavailable_when_down(), self._desks.session() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (on PostgreSQL each statement runs on its own, with no
        transaction around them); a change flushed in it raises ``ReadOnlySession``."""
        with _unavailable_when_down(), self._read() as session:
            yield session

    @contextlib.contextmanager
    def streaming(self) -> Iterator[Session]:
        """A read-only session in one transaction, for results read in batches as they are
        used (``yield_per``: PostgreSQL's server-side cursor lives in a transaction)."""
        with _unavailable_when_down(), self._stream() as session:
            yield session

    def locking(self, query):
        """``query`` taking row locks that other workers skip (PostgreSQL);
        SQLite serializes writers instead."""
        return query if self.is_sqlite else query.with_for_update(skip_locked=True)

    def ping(self) -> bool:
        """True when the database answers."""
        with self.read_engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1

    def dispose(self) -> None:
        """Close all pooled connections (the kept write sessions' too)."""
        if self._desks is not None:
            self._desks.close()
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
