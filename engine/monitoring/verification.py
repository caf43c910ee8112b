"""Verifying the audit hash chains of every instance in one pass over the
events, in the order of their (instance, seq) index."""
from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from engine.audit import chain as audit
from engine.audit.chain import ChainReport
from engine.storage.models import AuditEvent, Instance

BATCH = 2000
LISTED = 50  # broken chains named in full; the rest are counted


@dataclass(frozen=True)
class AuditCheck:
    """The result of verifying many chains."""

    instances: int
    events: int
    broken: list  # ChainReports of broken chains (the first LISTED), by instance id
    broken_count: int
    resume_after: str | None = None  # stopped at its time budget: continue after this instance

    @property
    def ok(self) -> bool:
        """True when every chain is intact."""
        return self.broken_count == 0

    @property
    def first_broken(self) -> ChainReport | None:
        """The first broken chain, if any."""
        return self.broken[0] if self.broken else None


class _Loaded:
    """One instance's head and events already read, answering the two reads
    ``audit.verify`` makes: its rules are applied unchanged to a streamed chain."""

    def __init__(self, head, rows):
        self.head, self.rows = head, rows

    def get(self, _model, _instance_id):
        return self.head

    def scalars(self, _query):
        return self

    def all(self):
        return self.rows


def check_chain(instance_id: str, rows: list, head) -> ChainReport:
    """``audit.verify`` on an instance's head row and events read beforehand."""
    return audit.verify(_Loaded(head, rows), instance_id)


def _chains(session, after: str | None):
    """(instance id, its events in seq order), instance by instance."""
    # plain rows (not ORM objects): a chain's rules read their attributes alike, faster
    table = AuditEvent.__table__
    query = select(table).order_by(table.c.instance_id, table.c.seq)
    if after:
        query = query.where(table.c.instance_id > after)
    current = None
    chain: list = []
    result = session.execute(query.execution_options(yield_per=BATCH))
    try:
        for row in result:
            if row.instance_id != current:
                if chain:
                    yield current, chain
                current, chain = row.instance_id, []
            chain.append(row)
        if chain:
            yield current, chain
    finally:  # stopped early: PostgreSQL's server-side cursor is closed now, not at collection
        result.close()


def verify_all(session, after: str | None = None, budget: float | None = None,
               timer=time.monotonic) -> AuditCheck:
    """Recompute the chain of every instance (whose id sorts after ``after``)
    and compare it with the instance's head. With a ``budget`` in seconds, stop
    at the first instance boundary past it and say where to resume."""
    query = select(Instance.id, Instance.head_hash, Instance.event_count).order_by(Instance.id)
    heads = session.execute(query.where(Instance.id > after) if after else query).all()
    chains = _chains(session, after)
    pending = next(chains, None)
    started, broken, events, resume = timer(), [], 0, None
    for number, head in enumerate(heads, start=1):
        rows = []
        if pending is not None and pending[0] == head.id:
            rows, pending = pending[1], next(chains, None)
        events += len(rows)
        report = check_chain(head.id, rows, head)
        if not report.ok:
            broken.append(report)
        if budget is not None and number < len(heads) and timer() - started > budget:
            resume = head.id
            break
    chains.close()
    return AuditCheck(number if heads else 0, events, broken[:LISTED], len(broken), resume)
