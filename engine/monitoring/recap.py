"""The monthly recap for the head of the agency: requests received in the
month and their outcomes, per agency; time standards kept per step; each
breach with its request, who held the step, how late, and what was recorded
about it (escalations, failed service calls)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from engine.storage.models import Agency, Escalation, Instance, Job, User
from engine.storage.monitoring_models import StepTime
from engine.monitoring import months as mo
from engine.monitoring.stats import median_from_counts, step_counts
from engine.monitoring.sop_lanes import short_name, sop_steps
from engine.monitoring.dashboard_views import AgencyLine, Breach, Recap, StepLine

OUTCOME_ORDER = ("fulfilled", "schedule_full", "withdrawn", "expired", "rejected", "running")


def _agencies(session, lo: datetime, hi: datetime) -> tuple[tuple[AgencyLine, ...], dict]:
    outcome = func.coalesce(Instance.outcome, "running")
    per: dict = defaultdict(lambda: defaultdict(int))
    names = {}
    for code, name, result, count in session.execute(
            select(Agency.code, Agency.name, outcome, func.count())
            .join(Agency, Agency.id == Instance.agency_id)
            .where(Instance.created_at >= lo, Instance.created_at < hi)
            .group_by(Agency.code, Agency.name, outcome)):
        per[code][result] += count
        names[code] = name
    lines = tuple(AgencyLine(code, names[code], sum(per[code].values()), dict(per[code]))
                  for code in sorted(per, key=lambda c: (-sum(per[c].values()), c)))
    totals: dict = defaultdict(int)
    for line in lines:
        for result, count in line.outcomes.items():
            totals[result] += count
    return lines, dict(totals)


def _steps(session, model, month: date) -> tuple[StepLine, ...]:
    last = (mo.shift(month, 1) - timedelta(days=1)).isoformat()
    minutes, late = step_counts(session, month.isoformat(), last)
    return tuple(StepLine(s.id, s.lane, short_name(s.name), s.standard, sum(minutes.get(s.id, {}).values()),
                          late.get(s.id, 0), median_from_counts(minutes.get(s.id, {})), s.number)
                 for s in sop_steps(model))


def _breaches(session, model, month: str, limit: int | None) -> tuple[Breach, ...]:
    """The month's breaches, latest first by how late (the ``limit`` worst ones)."""
    query = select(StepTime, Instance.topic, Instance.letter_number, Agency.name) \
        .join(Instance, Instance.id == StepTime.instance_id) \
        .outerjoin(Agency, Agency.id == Instance.agency_id) \
        .where(StepTime.month == month, StepTime.breached.is_(True)) \
        .order_by(StepTime.late_minutes.desc(), StepTime.ended_at)
    rows = session.execute(query.limit(limit) if limit else query).all()
    ids = {r[0].instance_id for r in rows}
    escalations, incidents, names = defaultdict(int), defaultdict(int), {}
    if ids:
        for instance_id, step, count in session.execute(
                select(Escalation.instance_id, Escalation.step, func.count())
                .where(Escalation.instance_id.in_(ids)).group_by(Escalation.instance_id, Escalation.step)):
            escalations[(instance_id, step)] = count
        # a service call that had to be retried or became an incident (a manual hand-over is neither)
        for instance_id, count in session.execute(
                select(Job.instance_id, func.count()).where(
                    Job.instance_id.in_(ids), (Job.status == "incident") | (Job.attempts > 1))
                .group_by(Job.instance_id)):
            incidents[instance_id] = count
        actors = {r[0].actor for r in rows if r[0].actor}
        names = dict(session.execute(select(User.username, User.full_name).where(User.username.in_(actors))).all())
    out = []
    for row, topic, number, agency in rows:
        element = model.elements.get(row.step)
        held = names.get(row.actor) or (row.actor if row.actor and not row.actor.startswith("system") else "sistem")
        out.append(Breach(row.instance_id, topic, number, agency or "-", row.step,
                          short_name(element.name if element else row.step), row.lane or "", row.standard or "",
                          row.started_at, row.ended_at, row.due_at, row.late_minutes, held,
                          escalations[(row.instance_id, row.step)], incidents[row.instance_id]))
    return tuple(out)


def recap(session, model, month: date, now: datetime, limit: int | None = None) -> Recap:
    """The recap of ``month`` (its first day); ``limit``: list only that many breaches, the latest."""
    lo, hi = mo.bounds(month)
    agencies, outcomes = _agencies(session, lo, hi)
    steps = _steps(session, model, month)
    timed = [s for s in steps if s.standard]
    return Recap(month, now, sum(a.received for a in agencies), outcomes, agencies, steps,
                 _breaches(session, model, mo.key(month), limit),
                 sum(s.finished for s in timed), sum(s.finished - s.breached for s in timed),
                 sum(s.breached for s in timed))
