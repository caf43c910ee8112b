"""The audit trail: append-only events, one hash chain per instance.

Each event's hash covers its content and the previous hash; the instance row
keeps the head hash and the event count, so altering or deleting any event,
the last one included, is detected.

Hash schemes, recorded per event (``scheme``): 1 covers the data as stored
(events written before personal data could be erased); 2 covers the data with
each personal value reduced to its salted digest (``engine.personal_data``),
so erasing a value keeps the hash valid. A scheme-1 event whose personal data
was erased is vouched for by the erasure event after it (the digest of what
was left), written only when the chain verified before the erasure.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import cast

import orjson
from sqlalchemy import Table, insert, select

from engine.audit import personal_data
from engine.storage import json_text
from engine.storage.prepared import Prepared
from engine.storage.models import AuditEvent, Instance

_EVENTS = cast(Table, AuditEvent.__table__)
_INSERT = Prepared(insert(_EVENTS))  # written on the driver (nothing reads the row back)
_KNOWN = "vicon.request_values"  # key of ``Session.info``: (request object, its personal values)
GENESIS = "0" * 64
SCHEME = 2  # the scheme of new events
ERASURE = "personal_data_erased"


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


# what the standard library's encoder hands to ``default=str`` must reach it here too
_PLAIN_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | \
    orjson.OPT_PASSTHROUGH_DATACLASS


def _plain(value):
    """``value`` as the JSON it is stored as: ``json.loads(_canonical(value))``, by orjson
    (several times faster; every event of every command passes here)."""
    return json_text.loads(json_text.dumps(value, default=str, option=_PLAIN_OPTIONS))


def event_hash(prev_hash: str, instance_id: str, seq: int, at: datetime, actor, on_behalf_of,
               lane, type_: str, task, task_id, data: dict, scheme: int = 1) -> str:
    """The chained hash of one event under its ``scheme``."""
    if at.tzinfo is not None:  # the database gives times back in UTC: hash them as such
        at = at.astimezone(timezone.utc)
    fields = [instance_id, seq, at.isoformat(), actor, on_behalf_of, lane, type_, task, task_id]
    if scheme == 1:
        body = _canonical([*fields, data])
    else:
        body = _canonical([scheme, *fields, personal_data.hashed_view(data)])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def data_digest(data) -> str:
    """The digest an erasure event records for an erased scheme-1 event's data."""
    return hashlib.sha256(_canonical(data).encode("utf-8")).hexdigest()


def without_uploads(value):
    """``value`` with every data URL (an uploaded file) replaced by its hash and
    size: the trail proves which file was entered without holding it again."""
    if isinstance(value, dict):
        return {k: without_uploads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_uploads(v) for v in value]
    if isinstance(value, str) and value.startswith("data:") and "," in value:
        head, body = value.split(",", 1)
        return {"upload": head[5:], "sha256": hashlib.sha256(body.encode("ascii", "replace")).hexdigest(),
                "chars": len(body)}
    return value


def append(session, instance: Instance, *, at: datetime, type_: str, actor=None, on_behalf_of=None,
           lane=None, task=None, task_id=None, data=None) -> dict:
    """Append one event to the instance's chain (in the caller's transaction, written at
    once); the event's columns."""
    data = _plain(without_uploads(data or {}))
    known = personal_data.values_in(data) | _request_values(session, instance)
    data = personal_data.seal(data, known)
    seq = instance.event_count + 1
    prev = instance.head_hash or GENESIS
    digest = event_hash(prev, instance.id, seq, at, actor, on_behalf_of, lane, type_, task, task_id, data,
                        SCHEME)
    row = dict(instance_id=instance.id, seq=seq, at=at, actor=actor, on_behalf_of=on_behalf_of,
               lane=lane, type=type_, task=task, task_id=task_id, data=data,
               prev_hash=prev, hash=digest, scheme=SCHEME)
    _INSERT.run(session, row, flush=False, later=True)  # the instance's own changes are written after the events
    instance.event_count, instance.head_hash = seq, digest
    return row


def _request_values(session, instance: Instance) -> set[str]:
    """The personal values of the instance's request, found once per request object a session
    sees (a command appends several events of the same request)."""
    request = (instance.facts or {}).get("request")
    kept = session.info.get(_KNOWN)
    if kept is None or kept[0] is not request:  # the object is held, so its identity is not reused
        kept = session.info[_KNOWN] = (request, frozenset(personal_data.values_in(request)))
    return kept[1]


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying one instance's chain."""

    instance_id: str
    ok: bool
    events: int
    first_broken_seq: int | None
    reason: str | None


def verify(session, instance_id: str) -> ChainReport:
    """Recompute the chain and compare it with the instance's head."""
    instance = session.get(Instance, instance_id)
    rows = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id)
                           .order_by(AuditEvent.seq)).all()
    prev, vouched = GENESIS, _vouched(rows)
    for expected_seq, row in enumerate(rows, start=1):
        if row.seq != expected_seq:
            return ChainReport(instance_id, False, len(rows), expected_seq, "event missing")
        if (row.scheme or 1) == 1 and str(row.seq) in vouched:
            digest = row.hash if data_digest(row.data) == vouched[str(row.seq)] else None
        else:
            digest = event_hash(prev, row.instance_id, row.seq, row.at, row.actor, row.on_behalf_of,
                                row.lane, row.type, row.task, row.task_id, row.data, row.scheme or 1)
            if not personal_data.holds(row.data):  # a value changed behind its digest
                digest = None
        if row.prev_hash != prev or row.hash != digest:
            return ChainReport(instance_id, False, len(rows), row.seq, "event altered")
        prev = row.hash
    if instance is None or instance.event_count != len(rows) or (instance.head_hash or GENESIS) != prev:
        return ChainReport(instance_id, False, len(rows), len(rows) + 1 if rows else 1,
                           "events missing at the end")
    return ChainReport(instance_id, True, len(rows), None, None)


def _vouched(rows) -> dict:
    """Erased scheme-1 events vouched for by later erasure events: seq -> data digest."""
    found: dict[str, str] = {}  # JSON keys: the seq as text
    for row in rows:
        if row.type == ERASURE and (row.scheme or 1) >= 2:
            found.update((row.data or {}).get("legacy_events") or {})
    return found
