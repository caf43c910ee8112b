"""Counting the round trips to PostgreSQL of a stretch of code: libpq's own trace of
every psycopg connection opened while ``tracing`` is on (each message the client sends
and the server answers, one line each), a round trip being an answer the client waits
for. A statement sent alone is one; a pipeline of writes ending in ``COMMIT`` is one too.

The trace slows every message a little, so the benchmark counts in a walk of its own,
apart from the timed runs."""
from __future__ import annotations

import contextlib
import ctypes
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine


_LIBC = ctypes.CDLL(None)


def _flush_traces() -> None:
    """Write out what libpq's trace streams hold (C ``FILE`` buffers of the process)."""
    _LIBC.fflush(None)


@dataclass
class RoundTrips:
    """How many round trips a stretch of code made (known when its block has ended)."""

    count: int = 0


def _flights(trace: str) -> int:
    """The server's answers the client waited for, in a libpq trace: one ``ReadyForQuery`` ends
    each statement sent alone, each pipeline (at its ``Sync``) and each simple query. Counting
    those rather than turns between the two sides gives the same figure however the answers
    happen to arrive while a pipeline is still being sent."""
    return sum(1 for line in trace.splitlines() if line.startswith("B\t") and "\tReadyForQuery" in line)


class Tracer:
    """The trace file of the connections opened while it is on."""

    SUPPRESS_TIMESTAMPS, REGRESS_MODE = 1, 2  # libpq's PQTRACE_* flags: one message a line, no times

    def __init__(self, path: str):
        self.path = path
        self._file = open(path, "w+b")  # noqa: SIM115 - open as long as traced connections live
        self._traced: list = []

    def connected(self, driver, _record) -> None:
        """Trace ``driver`` when it is a psycopg connection (SQLite has no round trips)."""
        pgconn = getattr(driver, "pgconn", None)
        if pgconn is not None:
            pgconn.trace(self._file.fileno())
            pgconn.set_trace_flags(self.SUPPRESS_TIMESTAMPS | self.REGRESS_MODE)
            self._traced.append(pgconn)

    @contextlib.contextmanager
    def counting(self) -> Iterator[RoundTrips]:
        """Count the round trips of the block."""
        _flush_traces()
        start, counted = os.path.getsize(self.path), RoundTrips()
        yield counted
        _flush_traces()
        with open(self.path, "rb") as trace:
            trace.seek(start)
            counted.count = _flights(trace.read().decode("utf-8", "replace"))

    def close(self) -> None:
        """Stop tracing every connection traced (libpq would otherwise go on writing to a
        descriptor that may by then be another file's) and close the trace."""
        for pgconn in self._traced:
            pgconn.untrace()  # a closed connection's is a no-op
        self._file.close()


@contextlib.contextmanager
def tracing() -> Iterator[Tracer]:
    """Trace every PostgreSQL connection opened until the block ends."""
    with tempfile.TemporaryDirectory() as tmp:
        tracer = Tracer(os.path.join(tmp, "libpq.trace"))
        event.listen(Engine, "connect", tracer.connected)
        try:
            yield tracer
        finally:
            event.remove(Engine, "connect", tracer.connected)
            tracer.close()
