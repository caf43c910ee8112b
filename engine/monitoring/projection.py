"""Projecting the audit trail onto ``step_times``: one row per finished SOP
step, with the office time it took and whether it overran its standard.

A step ends with the event that finishes its task (completed, a service
result, the timer that ends it); it started with the previous such event of
the same request. Rows are added for events not yet projected, so the
projection catches up whenever a dashboard or recap is asked for.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engine.calendar.working import WITA
from engine.storage.models import AuditEvent, Instance
from engine.storage.monitoring_models import StepDay, StepTime
from engine.monitoring.sop_lanes import step_of

ENDS = ("task_completed", "service_completed", "timer_fired")
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


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


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
        trail = defaultdict(list)
        for event in session.execute(
                select(AuditEvent.id, AuditEvent.instance_id, AuditEvent.at, AuditEvent.type,
                       AuditEvent.task, AuditEvent.actor, AuditEvent.lane)
                .where(AuditEvent.instance_id.in_(instance_ids), AuditEvent.type.in_(PROGRESS))
                .order_by(AuditEvent.instance_id, AuditEvent.seq)):
            trail[event.instance_id].append(event)
        calendar = self.calendar()
        rows = []
        for instance_id, events in trail.items():
            instance = instances[instance_id]
            model = self.versions.compiled_by_id(session, instance.process_version_id).model
            rows.extend(_steps_of(events, model, instance, calendar, wanted))
        return rows


def _ended_step(event, model) -> str | None:
    """The step ``event`` finishes, or None."""
    if event.type == "instance_started":
        return None
    if event.type == "timer_fired":  # only a timer that ends its task (the receipt deemed given)
        element = model.elements.get(event.task)
        if element is None or not element.attached_to or not element.cancel_activity:
            return None
        return step_of(model, element.attached_to)
    return step_of(model, event.task)


def _steps_of(events, model, instance, calendar, wanted: set) -> list[StepTime]:
    rows, previous = [], None
    for event in events:
        step = _ended_step(event, model)
        if event.type != "instance_started" and step is None:
            continue  # withdrawal and expiry handling, escalation timers: not the SOP's progress
        if step is not None and event.id in wanted and previous is not None:
            rows.append(_row(event, step, previous.at, model, instance, calendar))
        previous = event
    return rows


def _row(event, step: str, start: datetime, model, instance, calendar) -> StepTime:
    element = model.elements[step]
    standard = element.time_standard
    due = calendar.add(start, standard) if standard else None
    # a timer that ends its step is the standard's own consequence (deemed received), not a breach
    breached = bool(due and event.at > due and event.type != "timer_fired")
    late = _minutes(calendar.working_time_between(due, event.at)) if breached else 0
    return StepTime(event_id=event.id, instance_id=instance.id, step=step, lane=element.lane,
                    agency_id=instance.agency_id, started_at=start, ended_at=event.at,
                    month=month_of(event.at), minutes=_minutes(calendar.working_time_between(start, event.at)),
                    standard=standard, due_at=due, breached=breached, late_minutes=late,
                    actor=event.actor)
