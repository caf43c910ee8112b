"""Counting the SQL statements and commits of a stretch of code: an SQLAlchemy
event hook on every engine of the process (the benchmark's per-command figures
and the statement budget test read it)."""
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

    def _statement(self, _conn, _cursor, statement, _parameters, _context, _many) -> None:
        self.sql.append(statement)

    def _commit(self, _conn) -> None:
        self.commits += 1


@contextlib.contextmanager
def counting() -> Iterator[Statements]:
    """Count every statement and commit of every database engine until the block ends."""
    counted = Statements()
    event.listen(Engine, "before_cursor_execute", counted._statement)
    event.listen(Engine, "commit", counted._commit)
    try:
        yield counted
    finally:
        event.remove(Engine, "before_cursor_execute", counted._statement)
        event.remove(Engine, "commit", counted._commit)
