"""The managers' instance list: filters on indexed columns of the instance row
and the task projection (never the workflow state), a page or every row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator

from sqlalchemy import func, or_, select

from engine.calendar.dates import WITA
from engine.storage.models import Agency, Instance, Job, ReadyTaskRow
from engine.requests import stages as request_stages
from engine.views import Page, StageView

MAX_PER_PAGE = 100
COUNT_CAP = 1_000  # counted exactly up to here; beyond, "more than" (counting costs per row)
EXPORT_BATCH = 500
OPEN_JOBS = ("pending", "running", "incident")
DATE_FIELDS = ("submitted", "meeting")
COLUMNS = (Instance.id, Instance.topic, Instance.letter_number, Instance.agency_id, Instance.status,
           Instance.outcome, Instance.meeting_start, Instance.created_at, Instance.updated_at)


@dataclass(frozen=True)
class Filters:
    """What the manager narrowed the list to (every field optional)."""

    status: str | None = None
    stage: str | None = None  # an element id: a ready task or a service task at work
    agency: str | None = None  # an agency code
    date_field: str = "submitted"  # submitted | meeting
    date_from: date | None = None  # WITA dates, both ends included
    date_to: date | None = None
    overdue: bool = False
    outcome: str | None = None
    q: str | None = None  # topic or letter number


@dataclass(frozen=True)
class MonitorRow:
    """One request as the managers' list shows it."""

    id: str
    topic: str
    letter_number: str
    agency: str | None
    status: str
    outcome: str | None
    meeting_start: datetime | None
    created_at: datetime
    updated_at: datetime
    stages: tuple  # ((element id, title, lane), ...) of ready tasks and service tasks at work
    due_at: datetime | None
    overdue: bool
    incident: bool
    stage: StageView | None = None  # where it stands, as every list names it (engine.requests.stages)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), WITA)


def _narrowed(session, filters: Filters, now: datetime):
    """The select of the list's columns with every filter applied, or None
    when a filter names something that does not exist (an unknown agency)."""
    query = select(*COLUMNS)
    if filters.status:
        query = query.where(Instance.status == filters.status)
    if filters.outcome:
        query = query.where(Instance.outcome == filters.outcome)
    if filters.agency:
        agency_id = session.scalar(select(Agency.id).where(Agency.code == filters.agency))
        if agency_id is None:
            return None
        query = query.where(Instance.agency_id == agency_id)
    column = Instance.meeting_start if filters.date_field == "meeting" else Instance.created_at
    if filters.date_from:
        query = query.where(column >= _day_start(filters.date_from))
    if filters.date_to:
        query = query.where(column < _day_start(filters.date_to + timedelta(days=1)))
    if filters.stage:
        tasks = select(ReadyTaskRow.instance_id).where(ReadyTaskRow.element_id == filters.stage)
        jobs = select(Job.instance_id).where(Job.status.in_(OPEN_JOBS),
                                             Job.element_id == filters.stage)
        query = query.where(or_(Instance.id.in_(tasks), Instance.id.in_(jobs)))
    if filters.overdue:
        late = select(ReadyTaskRow.instance_id).where(ReadyTaskRow.due_at < now)
        query = query.where(Instance.id.in_(late))
    if filters.q and filters.q.strip():
        text = filters.q.strip().replace("\\", "").replace("%", "").replace("_", "")
        like = f"%{text}%"
        # SQLite's LIKE ignores ASCII case already; ilike would add lower() to every row
        match = "like" if session.get_bind().dialect.name == "sqlite" else "ilike"
        query = query.where(or_(getattr(Instance.topic, match)(like),
                                getattr(Instance.letter_number, match)(like)))
    return query


def _agency_codes(session) -> dict:
    return dict(session.execute(select(Agency.id, Agency.code)).all())


def _stages_of(session, ids: list[str], names: dict) -> dict:
    """Ready tasks and open service tasks of ``ids``: element, title, lane, due, incident."""
    found: dict[str, list] = {i: [] for i in ids}
    if not ids:
        return found
    tasks = (select(ReadyTaskRow.instance_id, ReadyTaskRow.element_id, ReadyTaskRow.title,
                    ReadyTaskRow.lane, ReadyTaskRow.due_at)
             .where(ReadyTaskRow.instance_id.in_(ids)).order_by(ReadyTaskRow.created_at))
    for row in session.execute(tasks):
        found[row.instance_id].append((row.element_id, row.title, row.lane, row.due_at, False))
    for row in session.execute(select(Job.instance_id, Job.element_id, Job.status)
                               .where(Job.instance_id.in_(ids), Job.status.in_(OPEN_JOBS))):
        name = names.get(row.element_id, row.element_id)
        found[row.instance_id].append((row.element_id, name, None, None, row.status == "incident"))
    return found


def _rows(session, raw, codes: dict, now: datetime, names: dict) -> list[MonitorRow]:
    stages = _stages_of(session, [r.id for r in raw], names)
    tasks, jobs = request_stages.open_work(session, [r.id for r in raw if r.status == "running"])
    out = []
    for r in raw:
        mine = stages[r.id]
        dues = [s[3] for s in mine if s[3] is not None]
        due = min(dues) if dues else None
        out.append(MonitorRow(r.id, r.topic, r.letter_number, codes.get(r.agency_id), r.status,
                              r.outcome, r.meeting_start, r.created_at, r.updated_at,
                              tuple((s[0], s[1], s[2]) for s in mine), due, bool(due and due < now),
                              any(s[4] for s in mine),
                              request_stages.stage_of(r.status, r.outcome, tasks[r.id], jobs[r.id], None)))
    return out


NEWEST_FIRST = (Instance.created_at.desc(), Instance.id)


def _search_page(session, query, offset: int, per_page: int):
    """(total, rows of the page) of a search, or None when its matches pass the
    cap. The matches' ids are read in any order, which stops at the cap for a
    common word; a rare one's few matches are then sorted here, so the text is
    scanned once rather than walking the time index to every row."""
    hits = session.execute(query.with_only_columns(Instance.id, Instance.created_at)
                           .limit(COUNT_CAP + 1)).all()
    if len(hits) > COUNT_CAP:
        return None
    hits.sort(key=lambda h: h.id)
    hits.sort(key=lambda h: h.created_at, reverse=True)  # stable: newest first, then by id
    wanted = [h.id for h in hits[offset:offset + per_page]]
    rows = session.execute(query.where(Instance.id.in_(wanted))).all() if wanted else []
    found = {r.id: r for r in rows}
    return len(hits), [found[i] for i in wanted if i in found]


def page(session, filters: Filters, now: datetime, number: int = 1, per_page: int = 25,
         names: dict | None = None) -> Page:
    """One page of the filtered list, newest submission first (``names``: element
    names for the service tasks at work)."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    number = max(number, 1)
    query = _narrowed(session, filters, now)
    if query is None:
        return Page([], number, per_page, 0)
    offset = (number - 1) * per_page
    searched = _search_page(session, query, offset, per_page) if filters.q else None
    if searched is not None:
        total, raw = searched
    else:
        capped = query.limit(COUNT_CAP + 1).subquery()
        total = session.scalar(select(func.count()).select_from(capped))
        raw = session.execute(query.order_by(*NEWEST_FIRST).offset(offset).limit(per_page)).all()
    rows = _rows(session, raw, _agency_codes(session), now, names or {})
    return Page(rows, number, per_page, total)


def every_row(session, filters: Filters, now: datetime,
              names: dict | None = None) -> Iterator[MonitorRow]:
    """Every row of the filtered list (for the CSV export), in batches."""
    query = _narrowed(session, filters, now)
    if query is None:
        return
    codes = _agency_codes(session)
    last = None
    while True:  # keyset pagination: constant cost per batch however far in
        batch_query = query.order_by(Instance.created_at.desc(), Instance.id.desc())
        if last is not None:
            older = or_(Instance.created_at < last[0],
                        (Instance.created_at == last[0]) & (Instance.id < last[1]))
            batch_query = batch_query.where(older)
        raw = session.execute(batch_query.limit(EXPORT_BATCH)).all()
        if not raw:
            return
        yield from _rows(session, raw, codes, now, names or {})
        last = (raw[-1].created_at, raw[-1].id)
