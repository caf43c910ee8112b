"""Verifying the audit hash chains of every instance in one pass over the
events, in the order of their (instance, seq) index."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import audit
from ..audit import ChainReport
from ..storage.models import AuditEvent, Instance

BATCH = 2000
LISTED = 50  # broken chains named in full; the rest are counted


@dataclass(frozen=True)
class AuditCheck:
    """The result of verifying many chains."""

    instances: int
    events: int
    broken: list  # ChainReports of broken chains (the first LISTED), by instance id
    broken_count: int

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


def _chains(session):
    """(instance id, its events in seq order), instance by instance."""
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.instance_id, AuditEvent.seq)
                           .execution_options(yield_per=BATCH)).scalars()
    current, chain = None, []
    for row in rows:
        if row.instance_id != current:
            if chain:
                yield current, chain
            current, chain = row.instance_id, []
        chain.append(row)
    if chain:
        yield current, chain


def verify_all(session) -> AuditCheck:
    """Recompute every instance's chain and compare it with the instance's head."""
    heads = {r.id: r for r in session.execute(select(Instance.id, Instance.head_hash, Instance.event_count))}
    broken, count, events = [], 0, 0
    for instance_id, rows in _chains(session):
        count, events = count + 1, events + len(rows)
        report = check_chain(instance_id, rows, heads.pop(instance_id, None))
        if not report.ok:
            broken.append(report)
    for instance_id, head in heads.items():  # instances without any event
        count += 1
        report = check_chain(instance_id, [], head)
        if not report.ok:
            broken.append(report)
    broken.sort(key=lambda r: r.instance_id)
    return AuditCheck(count, events, broken[:LISTED], len(broken))
