"""Write sessions kept between transactions (PostgreSQL).

Every command is one write transaction. Made afresh, each took a session, a pooled
connection checked out and back in, and their events: about 100 µs of Python per
transaction, as much as the command's own statements. A desk is a session bound to one
connection, kept for the next transaction once its own has ended: a few desks wait,
the last given back taken first. What a fresh one gave is kept:

- a desk that rested ``ping_after()`` seconds or longer asks the server first, and one
  whose server session is gone is replaced (as the pool does at checkout);
- a desk whose connection was lost (invalidated) or is still in a transaction (for
  SQLAlchemy or on the server) is never kept: its connection goes back to the pool, whose
  reset rolls back; one made before the process forked is left alone in the child;
- the session holds nothing of an earlier transaction: it is closed (its objects let go)
  when its transaction ends, and its ``info`` is emptied when it is taken.

A desk's connection stays the desk's after its transaction, so its ``COMMIT`` is sent
ahead (``prepared.commit_ahead_on``): the session's own bookkeeping and the work the
transaction left for that moment (a command's answer) are done while the server writes
the ``COMMIT`` to its log, whose answer is read before the desk is given back.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator

from psycopg import pq
from sqlalchemy.orm import Session

from engine.storage import prepared


_FORKS = [0]  # how many forks made this process (asking the pid is a system call per transaction)
os.register_at_fork(after_in_child=lambda: _FORKS.__setitem__(0, _FORKS[0] + 1))
# a parent's desks found in a child: held, never collected (a collected one would be rolled
# back, or its connection ended, on the socket the parent still uses)
_PARENTS: list = []


class _Desk:
    """A session bound to one connection, and when it was last given back."""

    __slots__ = ("connection", "session", "forks", "rested_since")

    def __init__(self, connection, session: Session):
        self.connection, self.session = connection, session
        self.forks = _FORKS[0]
        self.rested_since = time.monotonic()


class Desks:
    """Kept write sessions of ``engine`` made by ``make_session`` (a sessionmaker); at most
    ``keep`` wait for a transaction (the rest give their connections back to the pool)."""

    def __init__(self, engine, make_session, ping_after: Callable[[], float], keep: int = 4):
        self.engine, self.make_session, self.ping_after, self.keep = engine, make_session, ping_after, keep
        self._idle: list[_Desk] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session for one transaction, kept for the next once it ended (when it may be)."""
        desk = self._take()
        try:
            yield desk.session
            prepared.finish_commit(desk.session, desk.connection)
        finally:
            self._give_back(desk)

    def close(self) -> None:
        """Give the connections of the waiting desks back to the pool (the engine's disposal)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for desk in idle:
            self._drop(desk)

    def _take(self) -> _Desk:
        while True:
            with self._lock:
                desk = self._idle.pop() if self._idle else None
            if desk is None:
                connection = self.engine.connect()
                prepared.commit_ahead_on(connection)
                return _Desk(connection, self.make_session(bind=connection))
            if desk.forks != _FORKS[0]:
                _PARENTS.append(desk)  # the parent's: its socket is the parent's too, so it is not touched
                continue
            if time.monotonic() - desk.rested_since < self.ping_after() or self._answers(desk):
                desk.session.info.clear()
                return desk
            self._drop(desk)

    def _answers(self, desk: _Desk) -> bool:
        """True when the desk's server session answers a ping."""
        dialect = self.engine.dialect
        try:
            dialect.do_ping(desk.connection.connection.driver_connection)
        except dialect.loaded_dbapi.Error as exc:
            desk.connection.invalidate(exc)
            return False
        return True

    def _give_back(self, desk: _Desk) -> None:
        session = desk.session
        if session.in_transaction() or len(session.identity_map):  # closed already when it committed ahead
            session.close()  # its objects let go; the connection stays the desk's
        if not _idle(desk.connection):
            self._drop(desk)  # the pool's reset on return rolls back what is left open
            return
        desk.rested_since = time.monotonic()
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(desk)
                return
        self._drop(desk)

    @staticmethod
    def _drop(desk: _Desk) -> None:
        """Give the desk's connection back to the pool."""
        with contextlib.suppress(Exception):  # a connection already lost is simply let go
            desk.connection.close()


def _idle(connection) -> bool:
    """True when ``connection`` is usable and has no transaction open, for SQLAlchemy and on
    the server (a failed ``COMMIT`` ends SQLAlchemy's transaction but not the server's)."""
    if connection.invalidated or connection.closed or connection.in_transaction():
        return False
    pgconn = connection.connection.driver_connection.pgconn
    return pgconn.transaction_status == pq.TransactionStatus.IDLE and \
        pgconn.pipeline_status == pq.PipelineStatus.OFF
