"""The dashboard's figures, each from one aggregate query: requests waiting
per step now, time per step against its standard, SLA compliance per month,
requests per agency per month, outcomes per month."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select

from engine.storage.models import Agency, Instance, Job, ReadyTaskRow
from engine.storage.monitoring_models import StepDay
from engine.monitoring import months as mo
from engine.monitoring.projection import TOTAL, day_of
from engine.monitoring.sop_lanes import sop_steps, step_of
from engine.monitoring.dashboard_views import AgencyMonth, Compliance, Dashboard, OutcomeMonth, StepStat

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


def step_counts(session, first_day: str, last_day: str | None = None) -> tuple[dict, dict]:
    """step -> {minutes bucket: count}, and step -> breaches, of the steps finished
    from ``first_day`` (to ``last_day``, inclusive), days as ``YYYY-MM-DD`` in WITA."""
    minutes: dict[str, dict[int, int]] = defaultdict(dict)
    breaches: dict[str, int] = defaultdict(int)
    query = select(StepDay.step, StepDay.bucket, func.sum(StepDay.finished), func.sum(StepDay.breached)) \
        .where(StepDay.bucket >= 0, StepDay.day >= first_day).group_by(StepDay.step, StepDay.bucket)
    if last_day:
        query = query.where(StepDay.day <= last_day)
    for step, value, count, late in session.execute(query):
        minutes[step][value] = int(count)
        breaches[step] += int(late or 0)
    return minutes, breaches


def compliance(session, first_month: str, timed: list[str]) -> tuple[Compliance, ...]:
    """Timed steps finished per month and step since ``first_month``, and how many in time."""
    month = func.substr(StepDay.day, 1, 7)
    rows = session.execute(
        select(month, StepDay.step, func.sum(StepDay.finished), func.sum(StepDay.breached))
        .where(StepDay.bucket == TOTAL, StepDay.day >= f"{first_month}-01", StepDay.step.in_(timed))
        .group_by(month, StepDay.step).order_by(month, StepDay.step))
    return tuple(Compliance(m, step, int(count), int(count) - int(late or 0)) for m, step, count, late in rows)


def month_case(column, month_list) -> ColumnElement[int]:
    """SQL for the index (0, 1, ...) of the month in ``month_list`` holding ``column``:
    comparisons on the indexed value, no date function per row."""
    edges = [mo.bounds(m)[1] for m in month_list]
    return case(*[(column < edge, i) for i, edge in enumerate(edges[:-1])], else_=len(edges) - 1)


def received_by_month(session, month_list, now: datetime) -> tuple[tuple, tuple]:
    """Requests received per agency and month, and per outcome and month, in one index scan."""
    lo, hi = mo.bounds(month_list[0])[0], mo.bounds(month_list[-1])[1]
    month = month_case(Instance.created_at, month_list)
    rows = session.execute(select(month, Instance.agency_id, Instance.outcome, func.count())
                           .where(Instance.created_at >= lo, Instance.created_at < hi)
                           .group_by(month, Instance.agency_id, Instance.outcome)).all()
    names = {i: (c, n) for i, c, n in session.execute(select(Agency.id, Agency.code, Agency.name))}
    agencies: dict = defaultdict(int)
    outcomes: dict = defaultdict(int)
    keys = [mo.key(m) for m in month_list]
    for index, agency_id, outcome, count in rows:
        if agency_id in names:
            agencies[(names[agency_id], keys[index])] += count
        outcomes[(outcome or "running", keys[index])] += count
    return (tuple(AgencyMonth(code, name, m, c) for ((code, name), m), c in agencies.items()),
            tuple(OutcomeMonth(m, o, c) for (o, m), c in outcomes.items()))


def dashboard(session, model, calendar, now: datetime, window_days: int = WINDOW_DAYS,
              month_count: int = MONTHS, received=None) -> Dashboard:
    """Every figure of the dashboard, as of ``now`` (``received``: a cached ``received_by_month``)."""
    month_list = mo.last(now, month_count)
    waiting = waiting_by_step(session, model, now)
    minutes, breaches = step_counts(session, day_of(now - timedelta(days=window_days)))
    steps = tuple(StepStat(s.id, s.lane, s.name, s.number, s.standard, standard_minutes(calendar, s.standard),
                           waiting.get(s.id, (0, 0))[0], waiting.get(s.id, (0, 0))[1],
                           sum(minutes.get(s.id, {}).values()), breaches.get(s.id, 0),
                           median_from_counts(minutes.get(s.id, {})), s.name_en)
                  for s in sop_steps(model))
    running = session.scalar(select(func.count()).select_from(Instance).where(Instance.status == "running"))
    incidents = session.scalar(select(func.count()).select_from(Job).where(Job.status == "incident"))
    agencies, outcomes = (received or received_by_month)(session, month_list, now)
    return Dashboard(now, tuple(mo.key(m) for m in month_list), window_days, steps,
                     compliance(session, mo.key(month_list[0]), [s.id for s in steps if s.standard]),
                     agencies, outcomes, running or 0, sum(s.overdue for s in steps), incidents or 0)
