"""The deployed versions of a process: who deployed what when, what changed
against the previous version, and how many requests still run on each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from engine.accounts import access
from engine.errors import NotFound
from engine.storage.models import Instance, ProcessVersion
from engine.versions.diff import VersionChanges, diff_models

LIVE_STATUSES = ("running", "error")  # requests not finished: they can still move


@dataclass(frozen=True)
class VersionView:
    """One deployed version of a process."""

    key: str
    name: str | None
    version: int
    hash: str
    deployed_by: str | None
    deployed_at: datetime
    running: int
    changes: VersionChanges
    latest: bool = False


@dataclass(frozen=True)
class ProcessSummary:
    """A process with its newest version and its running requests over all versions."""

    key: str
    name: str | None
    latest_version: int
    deployed_at: datetime
    versions: int
    running: int


def require_analyst(actor) -> None:
    """Forbidden unless the actor is an analyst or an administrator."""
    access.require_role(actor, "analyst", "admin")


def running_counts(session, key: str | None = None) -> dict[int, int]:
    """Running requests per version id (of ``key``, or of every process)."""
    query = (select(Instance.process_version_id, func.count())
             .where(Instance.status.in_(LIVE_STATUSES)).group_by(Instance.process_version_id))
    if key is not None:
        query = query.join(ProcessVersion, ProcessVersion.id == Instance.process_version_id) \
            .where(ProcessVersion.key == key)
    return dict(session.execute(query).all())


def version_rows(session, key: str) -> list[ProcessVersion]:
    """Every version of ``key``, oldest first; NotFound when there is none."""
    rows = list(session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                                .order_by(ProcessVersion.version)))
    if not rows:
        raise NotFound(f"no process '{key[:100]}'", f"proses '{key[:100]}' tidak ada")
    return rows


def version_row(session, key: str, version: int) -> ProcessVersion:
    """Version ``version`` of ``key``; NotFound when it does not exist."""
    query = select(ProcessVersion).where(ProcessVersion.key == key,
                                         ProcessVersion.version == int(version))
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"process '{key[:100]}' has no version {version}",
                       f"proses '{key[:100]}' tidak punya versi {version}")
    return row


def list_versions(kernel, key: str, actor) -> list[VersionView]:
    """Every version of ``key``, newest first, each with its changes and running requests."""
    require_analyst(actor)
    with kernel.db.reading() as session:
        rows = version_rows(session, key)
        counts = running_counts(session, key)
        views, previous = [], None
        for row in rows:
            model = kernel.versions.compiled(row).model
            views.append(VersionView(row.key, row.name, row.version, row.hash, row.deployed_by,
                                     row.deployed_at, counts.get(row.id, 0),
                                     diff_models(previous, model), row is rows[-1]))
            previous = model
    return views[::-1]


def list_processes(kernel, actor) -> list[ProcessSummary]:
    """Every process with its newest version and its running requests."""
    require_analyst(actor)
    with kernel.db.reading() as session:
        counts = running_counts(session)
        rows = list(session.scalars(select(ProcessVersion)
                                    .order_by(ProcessVersion.key, ProcessVersion.version)))
    by_key: dict[str, list] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    return [ProcessSummary(key, group[-1].name, group[-1].version, group[-1].deployed_at,
                           len(group), sum(counts.get(r.id, 0) for r in group))
            for key, group in by_key.items()]


def version_bpmn(kernel, key: str, version: int, actor) -> bytes:
    """The stored BPMN XML of a version, exactly as deployed."""
    require_analyst(actor)
    with kernel.db.reading() as session:
        return bytes(version_row(session, key, version).bpmn)
