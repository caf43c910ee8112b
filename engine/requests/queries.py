"""Read models: lists from the projection, views of one instance or task."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select

from engine.accounts import access
from engine.accounts.roles import ROLES, lane_roles, lanes_of, learn_lanes, role_of_lane
from engine.definitions.model import read_model
from engine.definitions.xmlsafe import parse_xml
from engine.audit.personal_data import reveal
from engine.requests import stages
from engine.storage.models import Agency, AuditEvent, HostAccount, Instance, ProcessVersion, ReadyTaskRow
from engine.storage.prepared import Prepared
from engine.views import (DefinitionView, EventView, FormView, InstanceSummary, InstanceView,
                    Page, StageView, StepView, TaskDetailView, TaskView)

MAX_PER_PAGE = 100
_AGENCY_NAME = Prepared(select(Agency.name).where(Agency.id == bindparam("of_agency")))
_NAMES = "vicon.agency_names"  # key of ``Session.info``: agency id -> name, read once per session


def form_view(form) -> FormView | None:
    """A FormDef as a view."""
    return FormView(form.key, form.schema, form.ui_schema) if form else None


def definition_view(row: ProcessVersion, process) -> DefinitionView:
    """A stored version as a view."""
    start = process.model.start_event
    return DefinitionView(row.key, row.name, row.version, row.hash, row.deployed_at,
                          form_view(process.forms.get(start.form_key)) if start else None)


def task_view(row: ReadyTaskRow, actor, model=None, context: tuple = (), now=None) -> TaskView:
    """A projection row as a view; with the instance's model, the step's kind too;
    with ``context`` (topic, agency code, agency name, letter number, meeting start)
    what a worklist shows of the request."""
    element = model.elements.get(row.element_id) if model is not None else None
    topic, agency, agency_name, letter_number, meeting_start = context or (None,) * 5
    return TaskView(row.id, row.instance_id, row.element_id, row.title, row.lane, row.created_at,
                    row.due_at, row.form_key, access.can_complete(actor, row.lane, row.agency_id),
                    role_of_lane(row.lane), element.step_kind if element else None,
                    access.acting_position(actor, row.lane), topic=topic, agency=agency,
                    agency_name=agency_name, letter_number=letter_number, meeting_start=meeting_start,
                    overdue=None if now is None else bool(row.due_at is not None and row.due_at <= now),
                    title_en=element.name_en if element else None)


_VIEWS_OF: dict[tuple[str, int], tuple] = {}  # (kind, id(owner)) -> (owner, its views): an owner never changes


def _made_once(kind: str, owner, make) -> dict:
    """``make(owner)``, made once per owner (a compiled model, a version's forms: neither changes
    once compiled); a copy, as a caller may change its own."""
    key = (kind, id(owner))
    kept = _VIEWS_OF.get(key)
    if kept is None or kept[0] is not owner:
        if len(_VIEWS_OF) >= 128:  # owners of versions no longer cached: start afresh
            _VIEWS_OF.clear()
        kept = _VIEWS_OF[key] = (owner, make(owner))
    return dict(kept[1])


def step_views(model) -> dict:
    """Element id -> StepView of every element of a ProcessModel (made once per model)."""
    return _made_once("steps", model, _step_views)


def _step_views(model) -> dict:
    roles = lane_roles(model)
    return {e.id: StepView(e.id, e.name or e.id, e.lane, roles.get(e.lane), e.step_kind, e.variable, e.operator,
                           e.name_en) for e in model.elements.values()}


def form_views(process) -> dict:
    """Form key -> FormView of every form of a compiled process (made once per process)."""
    return _made_once("forms", process.forms, lambda forms: {key: form_view(form) for key, form in forms.items()})


def _learn_task_lanes(session) -> None:
    """Learn the roles of lanes that ready tasks are in but no loaded model named
    yet (after a restart, before any version of theirs was loaded)."""
    unknown = session.scalars(select(ReadyTaskRow.lane).where(ReadyTaskRow.lane.not_in(lanes_of(ROLES)))
                              .distinct()).all()
    for lane in unknown:
        bpmn = session.scalar(select(ProcessVersion.bpmn).join(Instance, Instance.process_version_id ==
                                                               ProcessVersion.id)
                              .join(ReadyTaskRow, ReadyTaskRow.instance_id == Instance.id)
                              .where(ReadyTaskRow.lane == lane).limit(1))
        if bpmn:
            learn_lanes(lane_roles(read_model(parse_xml(bpmn))))


def tasks_for(session, actor, now=None, step: str | None = None, model_of=None) -> list[TaskView]:
    """Ready tasks of the actor's lanes (an OPD account: its agency's only), by due
    time, each with its request's context (one joined query on the projection);
    ``step``: only the tasks of that element; ``model_of``: version id -> the
    model it runs (the tasks then carry their step's kind and English name)."""
    _learn_task_lanes(session)
    lanes = lanes_of(actor.roles)
    acting = {role_of_lane(lane) for lane, _, _ in actor.acting_for}
    lanes += [lane for lane in lanes_of(acting) if lane not in lanes]
    if not lanes:
        return []
    query = (select(ReadyTaskRow, Instance.process_version_id, Instance.topic, Agency.code, Agency.name,
                    Instance.letter_number, Instance.meeting_start)
             .join(Instance, Instance.id == ReadyTaskRow.instance_id)
             .outerjoin(Agency, Agency.id == Instance.agency_id)
             .where(ReadyTaskRow.lane.in_(lanes)))
    if actor.has("opd") and not (actor.roles & access.STAFF_ROLES):
        query = query.where(ReadyTaskRow.agency_id == actor.agency_id)
    if step:
        query = query.where(ReadyTaskRow.element_id == step)
    rows = session.execute(query.order_by(ReadyTaskRow.due_at.is_(None), ReadyTaskRow.due_at,
                                          ReadyTaskRow.created_at)).all()
    return [task_view(r, actor, model_of(version_id) if model_of else None, tuple(context), now)
            for r, version_id, *context in rows if access.can_complete(actor, r.lane, r.agency_id)]


def _agency_code(session, agency_id) -> str | None:
    return session.scalar(select(Agency.code).where(Agency.id == agency_id)) if agency_id else None


def note_agency_name(session, agency_id: int, name: str) -> None:
    """Tell the session's views the name of an agency read along with something else."""
    session.info.setdefault(_NAMES, {})[agency_id] = name


def agency_name(session, agency_id: int | None) -> str | None:
    """The agency's name, read once per session (a list names the same agencies again)."""
    return _agency_name_read(session, agency_id, at_commit=False)()


def _agency_name_read(session, agency_id: int | None, *, at_commit: bool) -> Callable[[], str | None]:
    """The agency's name as a function to call once read: known to the session, read now,
    or (``at_commit``) read with the transaction's ``COMMIT``."""
    names = session.info.setdefault(_NAMES, {})
    if agency_id is None or agency_id in names:
        known = names.get(agency_id)
        return lambda: known
    if at_commit:
        pending = _AGENCY_NAME.rows_at_commit(session, {"of_agency": agency_id})
        return lambda: next((name for name, in pending.rows()), None)
    found = _AGENCY_NAME.rows(session, {"of_agency": agency_id})
    names[agency_id] = found[0][0] if found else None
    return lambda: names[agency_id]


def summary(session, instance: Instance, version: ProcessVersion | None = None,
            stage: StageView | None = None, name: Callable[[], str | None] | None = None,
            agency: str | None = None) -> InstanceSummary:
    """An instance row as a summary (with its stage when given; ``name`` and ``agency``: its
    agency's name, as a function, and code when the caller has them read)."""
    version = version or session.get(ProcessVersion, instance.process_version_id)
    agency = agency or (instance.facts or {}).get("agency") or _agency_code(session, instance.agency_id)
    return InstanceSummary(instance.id, version.key, version.version, instance.status, instance.outcome,
                           agency, instance.topic,
                           instance.letter_number, instance.meeting_start, instance.created_at,
                           instance.updated_at, stage,
                           name() if name is not None else agency_name(session, instance.agency_id))


def instance_view(session, instance, process, actor, version=None, rows=None) -> InstanceView:
    """An instance as ``actor`` may see it; ``rows``: its ready-task rows when the
    caller holds them (a command that just wrote them), else they are read."""
    return answer_view(session, instance, process, actor, version, rows, at_commit=False)()


def answer_view(session, instance, process, actor, version=None, rows=None, *,
                at_commit: bool = True) -> Callable[[], InstanceView]:
    """``instance_view`` as a command answers: what the session does not know yet (the open
    jobs, the agency's name) read with the command's ``COMMIT`` (``at_commit``), and the view
    made by the function returned, which reads nothing from the database (a command calls it
    while the server writes its ``COMMIT``, ``Command.answer_with``)."""
    version = version or session.get(ProcessVersion, instance.process_version_id)
    facts = instance.facts or {}
    if rows is None:
        rows = session.scalars(select(ReadyTaskRow).where(ReadyTaskRow.instance_id == instance.id)
                               .order_by(ReadyTaskRow.created_at)).all() if facts.get("tasks") else []
    model = process.model if process is not None else None
    # the jobs name the stage only of a running request with no task open
    jobs = stages.open_jobs_read(session, instance.id, at_commit=at_commit) \
        if instance.status == "running" and not rows else (lambda: [])
    name = _agency_name_read(session, instance.agency_id, at_commit=at_commit)
    agency = facts.get("agency") or _agency_code(session, instance.agency_id)

    def view() -> InstanceView:
        tasks = [task_view(r, actor, model) for r in sorted(rows, key=lambda r: r.created_at)]
        letters = [dict(x, sent_at=datetime.fromisoformat(x["sent_at"])) for x in facts.get("letters", [])]
        meeting = access.visible_meeting(actor, facts.get("meeting"),
                                         any(x["kind"] == "surat_tanggapan" for x in letters))
        staff = bool(actor.roles & access.STAFF_ROLES)
        stage = stages.stage_of(instance.status, instance.outcome, tasks, jobs(), actor)
        return InstanceView(summary(session, instance, version, stage, name, agency), tasks,
                            facts.get("request") or {}, meeting, letters,
                            schedule=_schedule_for(facts.get("schedule"), staff),
                            dispositions=facts.get("dispositions", []) if staff else [],
                            steps=step_views(model) if model is not None else {},
                            forms=form_views(process) if process else {})
    return view


def _with_host_email(session, schedule: dict | None) -> dict | None:
    """A staff view of the schedule check with the booked host's e-mail (the manual
    meeting task preselects it)."""
    if not schedule or not schedule.get("host_id"):
        return schedule
    email = session.scalar(select(HostAccount.email).where(HostAccount.id == schedule["host_id"]))
    return {**schedule, "host_email": email} if email else schedule


def _schedule_for(schedule: dict | None, staff: bool) -> dict | None:
    """Staff see the whole check; an agency sees whether it was free and the
    alternative slots, not which account hosts it."""
    if schedule is None or staff:
        return schedule
    return {k: schedule[k] for k in ("status", "alternatives") if k in schedule}


def task_detail(session, row, instance, process, actor, version=None) -> TaskDetailView:
    """A task with its form and what the caller may see of the request."""
    view = instance_view(session, instance, process, actor, version)
    context = {"request": view.request, "dispositions": view.dispositions, "meeting": view.meeting,
               "schedule": _with_host_email(session, view.schedule),
               "instance": {"id": instance.id, "status": instance.status, "agency": view.summary.agency,
                            "agency_name": view.summary.agency_name}}
    if actor.roles & access.STAFF_ROLES and (instance.facts or {}).get("meeting_error"):
        context["meeting_error"] = instance.facts["meeting_error"]
    task = task_view(row, actor, process.model)
    if task.role == "opd":
        context["returned"] = _return_reasons(instance.facts or {})
    return TaskDetailView(task, form_view(process.forms.get(row.form_key)), context, view.steps, view.forms)


def _return_reasons(facts: dict) -> list[str]:
    """Why an official sent the request back: the agency's task to complete it shows
    these, the only words of a disposition an agency sees."""
    return [d["reason"] for d in facts.get("dispositions", [])
            if d.get("decision") == "return" and d.get("reason")]


# The system's own service steps and their retries: an agency sees their results instead.
INTERNAL_EVENTS = ("service_completed", "service_failed", "job_retried", "reminder_sent")


def events(session, instance_id: str, actor=None) -> list[EventView]:
    """Audit events, oldest first; an agency (``actor`` without a staff role) sees what
    the instance view shows it: its own steps in full, the officials' steps without
    their notes, data or usernames, and none of the system's internal events."""
    rows = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id)
                           .order_by(AuditEvent.seq))
    views = [EventView(r.seq, r.at, r.actor, r.on_behalf_of, r.lane, r.type, r.task, reveal(r.data))
             for r in rows]
    if actor is None or actor.roles & access.STAFF_ROLES:
        return views
    return [_agency_event(v, actor) for v in views if v.type not in INTERNAL_EVENTS]


def _agency_event(event: EventView, actor) -> EventView:
    if role_of_lane(event.lane) == "opd" or (event.actor and event.actor == actor.username):
        return event
    behalf = event.on_behalf_of if (event.on_behalf_of or "").startswith("agency:") else None
    return EventView(event.seq, event.at, None, behalf, event.lane, event.type, event.task, {})


def instances_page(session, actor, *, status=None, outcome=None, agency=None, date_from: datetime | None = None,
                   date_to: datetime | None = None, q: str | None = None, page: int = 1,
                   per_page: int = 20) -> Page:
    """Filtered, paginated instances the actor may see (newest first)."""
    query = select(Instance)
    if not (actor.roles & access.STAFF_ROLES):
        query = query.where(Instance.agency_id == (actor.agency_id if actor.has("opd") else -1))
    if status:
        query = query.where(Instance.status == status)
    if outcome:
        query = query.where(Instance.outcome == outcome)
    if agency:
        query = query.join(Agency, Agency.id == Instance.agency_id).where(Agency.code == agency)
    if date_from:
        query = query.where(Instance.meeting_start >= date_from)
    if date_to:
        query = query.where(Instance.meeting_start <= date_to)
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Instance.topic.ilike(like), Instance.letter_number.ilike(like)))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    rows = session.scalars(query.order_by(Instance.created_at.desc(), Instance.id)
                           .offset((max(page, 1) - 1) * per_page).limit(per_page)).all()
    tasks, jobs = stages.open_work(session, [r.id for r in rows if r.status == "running"])
    return Page([summary(session, r, stage=stages.stage_of(r.status, r.outcome, tasks[r.id], jobs[r.id], actor))
                 for r in rows], max(page, 1), per_page, total)
