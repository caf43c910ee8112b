"""The process models a request's step times are measured against: the
version it runs now and every version it was migrated from (a step is held
to the standard of the version it finished on)."""
from __future__ import annotations

from sqlalchemy import select

from engine.monitoring.step_times import versions_seen
from engine.storage.models import ProcessVersion


def models_for(session, versions, version_row, events) -> dict[int, object]:
    """``{version number: process model}`` for ``events`` of a request whose
    version row now is ``version_row``; ``versions`` is the version store."""
    models = {version_row.version: versions.compiled(version_row).model}
    missing = versions_seen(events, version_row.version) - set(models)
    if missing:
        rows = session.scalars(select(ProcessVersion.id).where(
            ProcessVersion.key == version_row.key, ProcessVersion.version.in_(missing)))
        for version_id in rows:
            row = versions.row(session, version_id)
            models[row.version] = versions.compiled(row).model
    return models
