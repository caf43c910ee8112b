"""The dashboard's figures, each from one aggregate query: requests waiting
per step now, time per step against its standard, SLA compliance per month,
requests per agency per month, outcomes per month."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import Integer, case, func, select

from ..storage.models import Agency, Instance, Job, ReadyTaskRow
from ..storage.monitoring_models import StepTime
from . import months as mo
from .sop_lanes import sop_steps, step_of
from .dashboard_views import AgencyMonth, Compliance, Dashboard, OutcomeMonth, StepStat

WINDOW_DAYS = 30
MONTHS = 6
OPEN_JOBS = ("pending", "running", "incident")
# a Monday at opening: a standard's office minutes measured from there
_REFERENCE = datetime.fromisoformat("2026-01-05T07:30:00+08:00")


def standard_minutes(calendar, standard: str | None) -> int | None:
    """The office minutes a time standard allows (a working day is a day of office hours)."""
    if not standard:
        return None
    start = calendar.open_at_or_after(_REFERENCE)
    return int(calendar.working_time_between(start, calendar.add(start, standard)).total_seconds() // 60)


def median_from_counts(counts: dict[int, int]) -> int | None:
    """The (lower) median of values given as value -> how many times."""
    total = sum(counts.values())
    if not total:
        return None
    seen, middle = 0, (total + 1) // 2
    for value in sorted(counts):
        seen += counts[value]
        if seen >= middle:
            return value
    return None


def waiting_by_step(session, model, now: datetime) -> dict[str, tuple[int, int]]:
    """step -> (waiting, overdue): ready human tasks and open service jobs."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    overdue = func.sum(case((ReadyTaskRow.due_at < now, 1), else_=0))
    for element, count, late in session.execute(
            select(ReadyTaskRow.element_id, func.count(), overdue).group_by(ReadyTaskRow.element_id)):
        step = step_of(model, element)
        if step:
            out[step][0] += count
            out[step][1] += int(late or 0)
    for element, count in session.execute(select(Job.element_id, func.count())
                                          .where(Job.status.in_(OPEN_JOBS)).group_by(Job.element_id)):
        step = step_of(model, element)
        if step:
            out[step][0] += count
    return {k: (v[0], v[1]) for k, v in out.items()}


def step_times(session, since: datetime) -> tuple[dict, dict]:
    """step -> {minutes: count}, and step -> breaches, of steps finished since ``since``."""
    minutes: dict[str, dict[int, int]] = defaultdict(dict)
    breaches: dict[str, int] = defaultdict(int)
    for step, value, count, late in session.execute(
            select(StepTime.step, StepTime.minutes, func.count(),
                   func.sum(func.cast(StepTime.breached, Integer)))
            .where(StepTime.ended_at >= since).group_by(StepTime.step, StepTime.minutes)):
        minutes[step][value] = count
        breaches[step] += int(late or 0)
    return minutes, breaches


def compliance(session, first_month: str) -> tuple[Compliance, ...]:
    """Timed steps finished per month and step since ``first_month``, and how many in time."""
    rows = session.execute(
        select(StepTime.month, StepTime.step, func.count(), func.sum(func.cast(StepTime.breached, Integer)))
        .where(StepTime.month >= first_month, StepTime.standard.is_not(None))
        .group_by(StepTime.month, StepTime.step).order_by(StepTime.month, StepTime.step))
    return tuple(Compliance(month, step, count, count - int(late or 0)) for month, step, count, late in rows)


def agencies_by_month(session, since: datetime, dialect: str) -> tuple[AgencyMonth, ...]:
    """Requests received per agency and month since ``since``."""
    month = mo.month_column(Instance.created_at, dialect)
    rows = session.execute(
        select(Agency.code, Agency.name, month, func.count()).join(Agency, Agency.id == Instance.agency_id)
        .where(Instance.created_at >= since).group_by(Agency.code, Agency.name, month))
    return tuple(AgencyMonth(code, name, m, count) for code, name, m, count in rows)


def outcomes_by_month(session, since: datetime, dialect: str) -> tuple[OutcomeMonth, ...]:
    """Requests received per month since ``since``, by outcome (``running`` while open)."""
    month = mo.month_column(Instance.created_at, dialect)
    outcome = func.coalesce(Instance.outcome, "running")
    rows = session.execute(select(month, outcome, func.count()).where(Instance.created_at >= since)
                           .group_by(month, outcome))
    return tuple(OutcomeMonth(m, o, count) for m, o, count in rows)


def dashboard(session, model, calendar, now: datetime, dialect: str,
              window_days: int = WINDOW_DAYS, month_count: int = MONTHS) -> Dashboard:
    """Every figure of the dashboard, as of ``now``."""
    month_list = mo.last(now, month_count)
    since_month, _ = mo.bounds(month_list[0])
    waiting = waiting_by_step(session, model, now)
    minutes, breaches = step_times(session, now - timedelta(days=window_days))
    steps = tuple(StepStat(s.id, s.lane, s.name, s.number, s.standard, standard_minutes(calendar, s.standard),
                           waiting.get(s.id, (0, 0))[0], waiting.get(s.id, (0, 0))[1],
                           sum(minutes.get(s.id, {}).values()), breaches.get(s.id, 0),
                           median_from_counts(minutes.get(s.id, {})))
                  for s in sop_steps(model))
    running = session.scalar(select(func.count()).select_from(Instance).where(Instance.status == "running"))
    incidents = session.scalar(select(func.count()).select_from(Job).where(Job.status == "incident"))
    return Dashboard(now, tuple(mo.key(m) for m in month_list), window_days, steps,
                     compliance(session, mo.key(month_list[0])),
                     agencies_by_month(session, since_month, dialect),
                     outcomes_by_month(session, since_month, dialect),
                     running or 0, sum(s.overdue for s in steps), incidents or 0)
