"""Counting the SQL statements and commits of a stretch of code: an SQLAlchemy
event hook on every engine of the process (the benchmark's per-command figures
and the statement budget test read it).

The hooks are listened for once and stay: adding and removing them around
every command cost more than a tenth of a small command, which the timings
would have counted as the command's own."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Statements:
    """What ran while counting: statements (their SQL, in order) and commits."""

    sql: list[str] = field(default_factory=list)
    commits: int = 0

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.sql)


_ACTIVE: list[Statements] = []  # the counts open now, innermost last


def _statement(_conn, _cursor, statement, _parameters, _context, _many) -> None:
    for counted in _ACTIVE:
        counted.sql.append(statement)


def _commit(_conn) -> None:
    for counted in _ACTIVE:
        counted.commits += 1


@contextlib.contextmanager
def counting() -> Iterator[Statements]:
    """Count every statement and commit of every database engine until the block ends."""
    if not event.contains(Engine, "before_cursor_execute", _statement):
        event.listen(Engine, "before_cursor_execute", _statement)
        event.listen(Engine, "commit", _commit)
    counted = Statements()
    _ACTIVE.append(counted)
    try:
        yield counted
    finally:
        _ACTIVE.remove(counted)
