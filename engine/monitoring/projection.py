"""Projecting the audit trail onto ``step_times``: one row per finished SOP
step, with the office time it took and whether it overran its standard.

The table is a cache of the one step-time rule (engine/monitoring/
step_times.py): for the requests with events not yet projected, the rule is
run over their trail and the steps it finds closed by those events are
stored. Rows are added for events not yet projected, so the projection
catches up whenever a dashboard or recap is asked for.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engine.calendar.working import WITA
from engine.storage.models import AuditEvent, Instance
from engine.storage.monitoring_models import StepDay, StepTime
from engine.monitoring.step_times import FINISHES, MIGRATED, measure_steps
from engine.monitoring.step_versions import models_for

ENDS = FINISHES
PROGRESS = ENDS + ("instance_started",)
MARGIN = 500  # ids a slower transaction may have taken before the newest projected one
BATCH = 2000


TOTAL = -1  # the bucket of a day's and step's totals (the compliance chart reads only these)


def bucket(minutes: int) -> int:
    """Office minutes rounded coarser as they grow (5 minutes below an hour, half
    hours below ten hours, two hours below fifty, then ten): about sixty buckets,
    so a day of any volume holds few rows and medians stay readable."""
    for limit, width in ((60, 5), (600, 30), (3000, 120)):
        if minutes < limit:
            return minutes - minutes % width
    return minutes - minutes % 600


def day_of(moment: datetime) -> str:
    """``YYYY-MM-DD`` of ``moment`` in WITA."""
    return moment.astimezone(WITA).strftime("%Y-%m-%d")


def add_to_days(session, rows) -> None:
    """Count ``rows`` (StepTime-like) into ``step_days`` (in the caller's transaction)."""
    counts: dict = defaultdict(lambda: [0, 0])
    for row in rows:
        day = day_of(row.ended_at)
        for key in ((day, row.step, bucket(row.minutes)), (day, row.step, TOTAL)):
            counts[key][0] += 1
            counts[key][1] += int(bool(row.breached))
    for (day, step, value), (finished, breached) in counts.items():
        existing = session.get(StepDay, (day, step, value))
        if existing is None:
            session.add(StepDay(day=day, step=step, bucket=value, finished=finished, breached=breached))
        else:
            existing.finished += finished
            existing.breached += breached


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of ``moment`` in WITA."""
    return moment.astimezone(WITA).strftime("%Y-%m")


class StepProjection:
    """Keeps ``step_times`` up to date with the audit trail."""

    def __init__(self, db, versions, calendar):
        self.db = db
        self.versions = versions
        self.calendar = calendar  # () -> WorkingCalendar

    def refresh(self) -> int:
        """Project the events not yet projected; return how many rows were added."""
        added = 0
        while True:
            try:
                count, more = self._batch()
            except IntegrityError:  # another process projected the same events meanwhile
                return added
            added += count
            if not more:
                return added

    def _batch(self) -> tuple[int, bool]:
        with self.db.transaction() as session:
            newest = session.scalar(select(func.max(StepTime.event_id))) or 0
            events = session.execute(
                select(AuditEvent.id, AuditEvent.instance_id, AuditEvent.type, AuditEvent.task)
                .where(AuditEvent.id > max(0, newest - MARGIN), AuditEvent.type.in_(ENDS))
                .order_by(AuditEvent.id).limit(BATCH)).all()
            if not events:
                return 0, False
            known = set(session.scalars(select(StepTime.event_id).where(
                StepTime.event_id >= events[0].id, StepTime.event_id <= events[-1].id)))
            wanted = {e.id for e in events if e.id not in known}
            rows = self._rows(session, {e.instance_id for e in events if e.id in wanted}, wanted) \
                if wanted else []
            session.add_all(rows)
            add_to_days(session, rows)
            return len(rows), len(events) == BATCH and events[-1].id > newest

    def _rows(self, session, instance_ids: set, wanted: set) -> list[StepTime]:
        instances = {i.id: i for i in session.execute(
            select(Instance.id, Instance.process_version_id, Instance.agency_id)
            .where(Instance.id.in_(instance_ids)))}
        calendar = self.calendar()
        rows: list[StepTime] = []
        for instance_id, events in _trails(session, instance_ids).items():
            instance = instances[instance_id]
            version_row = self.versions.row(session, instance.process_version_id)
            models = models_for(session, self.versions, version_row, events)
            measured = measure_steps(events, models, version_row.version, calendar)
            ids = {e.seq: e.id for e in events}
            rows.extend(_row(step, ids[step.seq], instance) for step in measured.finished
                        if ids[step.seq] in wanted)
        return rows


def _trails(session, instance_ids: set) -> dict[str, list]:
    """The events the rule reads, per instance, oldest first (data only where it is read)."""
    trail: dict[str, list[_Event]] = defaultdict(list)
    for event in session.execute(
            select(AuditEvent.id, AuditEvent.instance_id, AuditEvent.seq, AuditEvent.at, AuditEvent.type,
                   AuditEvent.task, AuditEvent.actor)
            .where(AuditEvent.instance_id.in_(instance_ids), AuditEvent.type.in_(PROGRESS))):
        trail[event.instance_id].append(_Event._make((*event, None)))
    for event in session.execute(
            select(AuditEvent.id, AuditEvent.instance_id, AuditEvent.seq, AuditEvent.at, AuditEvent.type,
                   AuditEvent.task, AuditEvent.actor, AuditEvent.data)
            .where(AuditEvent.instance_id.in_(instance_ids), AuditEvent.type == MIGRATED)):
        trail[event.instance_id].append(_Event._make(event))
    return {i: sorted(events, key=lambda e: e.seq) for i, events in trail.items()}


class _Event(NamedTuple):
    id: int
    instance_id: str
    seq: int
    at: datetime
    type: str
    task: str | None
    actor: str | None
    data: dict | None


def _row(step, event_id: int, instance) -> StepTime:
    return StepTime(event_id=event_id, instance_id=instance.id, step=step.element_id, lane=step.lane,
                    agency_id=instance.agency_id, started_at=step.started, ended_at=step.ended,
                    month=month_of(step.ended), minutes=step.minutes, standard=step.standard,
                    due_at=step.due, breached=step.breached,
                    late_minutes=step.late_minutes, actor=step.actor)
