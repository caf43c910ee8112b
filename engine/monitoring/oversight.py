"""What managers and administrators oversee: every request with filters, one
request with its diagram state and timed audit trail, incidents, and the
integrity of the audit chains. Every method checks the caller's role."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from engine.accounts import access
from engine.audit import chain as audit
from engine.requests import queries
from engine.errors import NotFound
from engine.accounts.roles import OVERSIGHT_ROLES
from engine.storage.models import Agency, AuditEvent, Instance, Job, ReadyTaskRow
from engine.monitoring import instances
from engine.monitoring.instances import Filters
from engine.monitoring.diagram import ElementStates, element_states
from engine.monitoring.step_times import MeasuredSteps, measure_steps
from engine.monitoring.step_versions import models_for
from engine.monitoring.verification import AuditCheck, verify_all
from engine.worker import incidents as incident_jobs

@dataclass(frozen=True)
class DiagramView:
    """An instance's process version as BPMN XML with its elements' states."""

    instance_id: str
    process_key: str
    version: int
    bpmn: str
    completed: list
    current: list
    failed: list
    process_name: str | None = None  # the model's name (pages never show the key)


@dataclass(frozen=True)
class TimelineEntry:
    """One audit event as the managers' timeline shows it."""

    seq: int
    at: datetime
    type: str
    actor: str | None
    on_behalf_of: str | None
    lane: str | None
    task: str | None
    task_name: str | None
    data: dict
    step: object = None  # StepTime when the event ends a step


@dataclass(frozen=True)
class OpenStep:
    """A step the instance waits on now."""

    element_id: str
    title: str
    lane: str | None
    opened: datetime
    due_at: datetime | None
    state: str  # ready | pending | running | incident
    step: object = None  # StepTime so far


@dataclass(frozen=True)
class MonitoredInstance:
    """One request as managers see it."""

    view: object  # InstanceView
    diagram: DiagramView
    timeline: list
    open_steps: list
    jobs: list = field(default_factory=list)
    forms: dict = field(default_factory=dict)  # element id -> FormView of its form (labels, choices)


@dataclass(frozen=True)
class IncidentView:
    """A failed service task with the request it belongs to."""

    job: object  # JobView
    element_name: str | None
    topic: str
    letter_number: str
    agency: str | None
    instance_status: str


class Oversight:
    """The managers' read side over an Engine."""

    COUNT_CAP = instances.COUNT_CAP  # list totals above this read "more than"

    def __init__(self, engine):
        self.kernel = getattr(engine, "kernel", engine)  # built with the facade (the API) or a kernel

    @staticmethod
    def require(actor) -> None:
        """Forbidden unless the actor is a manager or an administrator."""
        access.require_role(actor, *sorted(OVERSIGHT_ROLES))

    # -- the list ---------------------------------------------------------------

    def instances(self, actor, filters: Filters, page: int = 1, per_page: int = 25):
        """A page of the filtered list of every request."""
        self.require(actor)
        with self.kernel.db.reading() as session:
            return instances.page(session, filters, self.kernel.clock.now(), page, per_page,
                                  self._names(session))

    def export(self, actor, filters: Filters):
        """Every row of the filtered list, as an iterator (role checked now,
        rows read while iterating)."""
        self.require(actor)
        now = self.kernel.clock.now()

        def rows():
            with self.kernel.db.reading() as session:
                yield from instances.every_row(session, filters, now, self._names(session))
        return rows()

    def stages(self, actor) -> list[tuple[str, str, str | None]]:
        """(element id, name, lane) of the steps a request can wait on, in
        the newest version of every deployed process."""
        self.require(actor)
        with self.kernel.db.reading() as session:
            models = self._latest_models(session)
        external = self.kernel.registry.external_names()  # the service tasks that can wait
        return [(e.id, e.name or e.id, e.lane) for model in models for e in model.elements.values()
                if e.kind == "userTask" or (e.kind == "serviceTask" and e.operator in external)]

    def english_names(self, actor) -> dict[str, str]:
        """Element id -> English name (the ``nameEn`` property) in the newest
        version of every deployed process, for English pages."""
        self.require(actor)
        with self.kernel.db.reading() as session:
            return {e.id: e.name_en for model in self._latest_models(session)
                    for e in model.elements.values() if e.name_en}

    def agencies(self, actor) -> list[tuple[str, str]]:
        """(code, name) of every agency."""
        self.require(actor)
        with self.kernel.db.reading() as session:
            rows = session.execute(select(Agency.code, Agency.name).order_by(Agency.name))
            return [tuple(r) for r in rows]

    # -- one instance -----------------------------------------------------------

    def instance(self, actor, instance_id: str) -> MonitoredInstance:
        """A request with its diagram state, timed trail, open steps and jobs."""
        self.require(actor)
        with self.kernel.db.reading() as session:
            instance, version, process, ready, jobs = self._read(session, instance_id)
            view = queries.instance_view(session, instance, process, actor, version)
            events = queries.events(session, instance.id)
            diagram = self._diagram(instance, version, process.model, events, ready, jobs)
            models = models_for(session, self.kernel.versions, version, events)
        model = process.model
        measured = measure_steps(events, models, version.version, self.kernel.calendar.calendar(),
                                 [r.element_id for r in ready], self.kernel.clock.now())
        times = measured.by_seq()
        timeline = [TimelineEntry(e.seq, e.at, e.type, e.actor, e.on_behalf_of, e.lane, e.task,
                                  _name(model, e.task), e.data, times.get(e.seq)) for e in events]
        forms = {e.id: queries.form_view(process.forms.get(e.form_key))
                 for e in model.elements.values() if e.form_key and e.form_key in process.forms}
        return MonitoredInstance(view, diagram, timeline,
                                 self._open_steps(model, ready, jobs, measured),
                                 [incident_jobs.job_view(j) for j in jobs], forms)

    def diagram(self, actor, instance_id: str) -> DiagramView:
        """The process version an instance runs, with its elements' states."""
        self.require(actor)
        with self.kernel.db.reading() as session:
            instance, version, process, ready, jobs = self._read(session, instance_id)
            events = session.execute(
                select(AuditEvent.seq, AuditEvent.type, AuditEvent.task, AuditEvent.data)
                .where(AuditEvent.instance_id == instance.id).order_by(AuditEvent.seq)).all()
            return self._diagram(instance, version, process.model, events, ready, jobs)

    # -- incidents and the audit chains -------------------------------------------

    def incidents(self, actor) -> list[IncidentView]:
        """Failed service tasks with their request, oldest first."""
        jobs = incident_jobs.list_incidents(self.kernel, actor)
        if not jobs:
            return []
        with self.kernel.db.reading() as session:
            rows = {r.id: r for r in session.execute(
                select(Instance.id, Instance.topic, Instance.letter_number, Instance.status,
                       Instance.process_version_id, Agency.code)
                .outerjoin(Agency, Agency.id == Instance.agency_id)
                .where(Instance.id.in_({j.instance_id for j in jobs})))}
            names = self._names(session)
        return [IncidentView(j, names.get(j.element_id), rows[j.instance_id].topic,
                             rows[j.instance_id].letter_number, rows[j.instance_id].code,
                             rows[j.instance_id].status) for j in jobs if j.instance_id in rows]

    def verify(self, actor, instance_id: str | None = None, after: str | None = None,
               budget: float | None = None) -> AuditCheck:
        """Verify the audit chain of one request, or of every request (those after
        ``after``, within ``budget`` seconds when given)."""
        self.require(actor)
        return self.verify_chains(instance_id, after, budget)

    def verify_chains(self, instance_id: str | None = None, after: str | None = None,
                      budget: float | None = None) -> AuditCheck:
        """As ``verify``, without a caller (the command line)."""
        with self.kernel.db.streaming() as session:  # every chain's events are read in batches
            if instance_id is None:
                return verify_all(session, after, budget)
            self._instance(session, instance_id)
            report = audit.verify(session, instance_id)
        return AuditCheck(1, report.events, [] if report.ok else [report], 0 if report.ok else 1)

    # -- internals ----------------------------------------------------------------

    @staticmethod
    def _instance(session, instance_id: str) -> Instance:
        instance = session.get(Instance, str(instance_id))
        if instance is None:
            raise NotFound("no such request", "permohonan tidak ditemukan")
        return instance

    def _read(self, session, instance_id: str) -> tuple:
        """An instance with its version row, compiled process, ready tasks and jobs."""
        versions = self.kernel.versions
        instance = self._instance(session, instance_id)
        version = versions.row(session, instance.process_version_id)
        process = versions.compiled_by_id(session, instance.process_version_id)
        ready = session.scalars(select(ReadyTaskRow).where(ReadyTaskRow.instance_id == instance.id)
                                .order_by(ReadyTaskRow.created_at)).all()
        jobs = session.scalars(select(Job).where(Job.instance_id == instance.id)
                               .order_by(Job.id)).all()
        return instance, version, process, ready, jobs

    def _latest_models(self, session) -> list:
        """The newest model of every deployed process (read from the versions store)."""
        versions = self.kernel.versions
        return [versions.compiled(row).model for row in versions.all_latest(session)]

    def _names(self, session) -> dict:
        return {e.id: e.name for model in self._latest_models(session)
                for e in model.elements.values() if e.name}

    @staticmethod
    def _diagram(instance, version, model, events, ready, jobs) -> DiagramView:
        current = {r.element_id for r in ready}
        current |= {j.element_id for j in jobs if j.status in ("pending", "running")}
        failed = {j.element_id for j in jobs if j.status == "incident"}
        states: ElementStates = element_states(model, events, current, failed, instance.status,
                                               instance.outcome)
        return DiagramView(instance.id, version.key, version.version, version.bpmn.decode("utf-8"),
                           states.completed, states.current, states.failed, model.name)

    @staticmethod
    def _open_steps(model, ready, jobs, measured: MeasuredSteps) -> list[OpenStep]:
        steps = [OpenStep(r.element_id, r.title, r.lane, r.created_at, r.due_at, "ready",
                          measured.running_step(model, r.element_id))
                 for r in ready]
        steps += [OpenStep(j.element_id, _name(model, j.element_id) or j.element_id, None,
                           j.created_at, None, j.status, None)
                  for j in jobs if j.status in ("pending", "running", "incident")]
        return steps


def _name(model, element_id: str | None) -> str | None:
    element = model.elements.get(element_id) if element_id else None
    return element.name if element is not None else None
