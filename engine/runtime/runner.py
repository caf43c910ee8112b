"""Running instances in memory: start, complete a user task, run an external
service task's result, throw a BPMN error, fire due timers.

The runner knows nothing of storage. Each call takes a ``Session`` that holds
the instance id, the clock, the operators' ports and collects the events of
the step for the audit trail.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException, WorkflowException
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.spiff.specs.defaults import ServiceTask, UserTask
from SpiffWorkflow.spiff.specs.event_definitions import ErrorEventDefinition, MessageEventDefinition

from engine.calendar.durations import parse_duration
from engine.runtime.clock import active_clock
from engine.errors import Conflict, NotFound, ProcessFailure
from engine.runtime.script_engine import SopScriptEngine, operator_context, operator_session
from engine.runtime.lean import LeanWorkflow
from engine.runtime.walks import tasks_in_order

TIMER_TYPES = {"TimeDateEventDefinition", "DurationTimerEventDefinition", "CycleTimerEventDefinition"}


@dataclass
class EngineEvent:
    """Something the engine did during a step, for the audit trail."""

    type: str
    element_id: str
    task_id: str
    data: dict = field(default_factory=dict)


@dataclass
class Session:
    """The context of one command: who the instance is, the clock, the ports."""

    clock: Any  # SystemClock or FakeClock (engine.runtime.clock)
    instance_id: str | None = None
    ports: object = None
    events: list = field(default_factory=list)

    def record(self, type_: str, task, data: dict | None = None) -> None:
        """Collect an audit event of ``task``."""
        self.events.append(EngineEvent(type_, task.task_spec.bpmn_id, str(task.id), data or {}))

    @contextlib.contextmanager
    def active(self):
        """Make this session's clock and ports visible to SpiffWorkflow and operators."""
        with active_clock(self.clock), operator_session(self):
            yield self


@dataclass(frozen=True)
class ReadyTask:
    """A ready human task, as the projection stores it."""

    id: str
    element_id: str
    title: str
    lane: str | None
    form_key: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class ExternalCall:
    """What the worker needs to call an external operator."""

    task_id: str
    element_id: str
    operator: str
    params: dict
    context: object


def default_deadline(start: datetime, duration: str) -> datetime:
    """``start`` plus a time standard in plain time (no calendar; the same grammar)."""
    return start + parse_duration(duration).plain()


class Runner:
    """Runs compiled processes with one script engine and an injected clock."""

    def __init__(self, registry, deadline=default_deadline):
        self.registry = registry
        self.script_engine = SopScriptEngine(registry)
        self.deadline = deadline

    def new_session(self, clock, instance_id=None, ports=None) -> Session:
        """A session for one command."""
        return Session(clock=clock, instance_id=instance_id, ports=ports)

    def start(self, process, data: dict, session: Session) -> BpmnWorkflow:
        """Create an instance with the start form's data and run it to its first wait."""
        workflow = LeanWorkflow(process.spec, process.subprocess_specs, script_engine=self.script_engine)
        start = workflow.get_next_task(state=TaskState.READY)
        start.data[process.model.start_event.form_key] = data
        self._stamp_deadlines(start, process, session, process.model.start_event.id)
        self._advance(workflow, session)
        return workflow

    def user_task(self, workflow: BpmnWorkflow, task_id: str):
        """The ready user task ``task_id``; NotFound or Conflict otherwise."""
        task = self._task(workflow, task_id)
        if not isinstance(task.task_spec, UserTask):
            raise NotFound(f"task {task_id} is not a user task", f"tugas {task_id} bukan tugas pengguna")
        if task.state != TaskState.READY:
            raise Conflict("the task is no longer open", "tugas ini sudah tidak terbuka")
        return task

    def complete(self, workflow, process, task_id: str, data: dict, session: Session):
        """Store the form data in the task's variable, complete it and advance."""
        task = self.user_task(workflow, task_id)
        task.data[process.model.elements[task.task_spec.bpmn_id].variable] = data
        self._stamp_deadlines(task, process, session)
        with session.active():
            self._guard(task.run)
        self._advance(workflow, session)
        return task

    def external_call(self, workflow, task_id: str, session: Session) -> ExternalCall:
        """Evaluate the parameters of a ready external task for the worker."""
        task = self._external(workflow, task_id)
        with session.active():
            params = self._guard(lambda: task.task_spec.evaluate_params(task))
        return ExternalCall(str(task.id), task.task_spec.bpmn_id, task.task_spec.operation_name,
                            {k: v["value"] for k, v in params.items()}, operator_context(task, session))

    def apply_result(self, workflow, process, task_id: str, result: dict, session: Session):
        """Complete an external task with its operator's result and advance."""
        task = self._external(workflow, task_id)
        task.data[task.task_spec.result_variable] = result
        self._stamp_deadlines(task, process, session)
        operator = self.registry.get(task.task_spec.operation_name)
        session.record(operator.audit_event, task, {"operator": operator.name,
                                                    "result": operator.audited(result)})
        with session.active():
            self._guard(task.complete)
        self._advance(workflow, session)

    def throw_error(self, workflow, task_id: str, code: str, payload: dict, session: Session) -> bool:
        """Throw BPMN error ``code`` from an external task; False when nothing catches it."""
        task = self._external(workflow, task_id)
        event = BpmnEvent(ErrorEventDefinition(code, code=code), payload=payload, target=task.workflow)
        with session.active():
            task.workflow.top_workflow.catch(event)
        if workflow.get_events():
            return False
        session.record("service_failed", task, {"operator": task.task_spec.operation_name,
                                                "error_code": code, "detail": payload})
        self._advance(workflow, session)
        return True

    def send_message(self, workflow, process, name: str, payload: dict, session: Session) -> bool:
        """Deliver BPMN message ``name``; False when nothing in the instance waits for it.

        An event sub-process started by the message interrupts the rest of the
        instance: SpiffWorkflow 3.2.0 ignores ``isInterrupting``.
        """
        if workflow.is_completed() or any(
                process.model.interrupts(t.task_spec.name) for t in workflow.task_tree.children):
            return False  # finished, or already interrupted by a withdrawal or an expiry
        before = {t.id for t in workflow.task_tree.children}
        try:
            with session.active():
                workflow.send_event(BpmnEvent(MessageEventDefinition(name), payload=payload))
        except WorkflowException:
            return False
        started = [t for t in workflow.task_tree.children if t.id not in before]
        if any(process.model.interrupts(t.task_spec.name) for t in started):
            for task in workflow.task_tree.children:
                if task not in started:
                    task.cancel()
        self._advance(workflow, session)
        return True

    def fire_timers(self, workflow, session: Session) -> None:
        """Fire every timer due at the session's clock, and run what follows."""
        with session.active():
            workflow.refresh_timers()
        self._advance(workflow, session)

    def _advance(self, workflow, session: Session) -> None:
        def did_complete(task):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(task.task_spec, CatchingEvent) and type(definition).__name__ in TIMER_TYPES:
                session.record("timer_fired", task, {"due": task.internal_data.get("event_value")})
        with session.active():
            self._guard(lambda: workflow.do_engine_steps(did_complete_task=did_complete))

    @staticmethod
    def _guard(step):
        try:
            return step()
        except (SpiffWorkflowException, ValueError, TypeError, KeyError) as exc:
            raise ProcessFailure(f"the process could not advance: {exc}",
                                 f"proses tidak dapat dilanjutkan: {exc}") from exc

    def _stamp_deadlines(self, task, process, session: Session, element_id: str | None = None) -> None:
        """Set ``due_<host>`` for the timed steps this task leads to; their
        boundary timers read it (``timeDate``) when the step starts."""
        now = session.clock.now()
        for host_id in process.deadline_setters.get(element_id or task.task_spec.bpmn_id, ()):
            standard = process.model.elements[host_id].time_standard
            task.data[f"due_{host_id}"] = self.deadline(now, standard).isoformat()

    @staticmethod
    def _task(workflow, task_id: str):
        try:
            return workflow.get_task_from_id(UUID(str(task_id)))
        except (ValueError, TaskNotFoundException):
            raise NotFound(f"task {task_id} does not exist", f"tugas {task_id} tidak ada") from None

    def _external(self, workflow, task_id: str):
        task = self._task(workflow, task_id)
        if not (isinstance(task.task_spec, ServiceTask) and task.task_spec.manual):
            raise NotFound(f"task {task_id} is not an external service task",
                           f"tugas {task_id} bukan tugas layanan eksternal")
        if task.state != TaskState.READY:
            raise Conflict("the service task is no longer waiting", "tugas layanan sudah tidak menunggu")
        return task


@dataclass(frozen=True)
class Snapshot:
    """What storage needs of a workflow after a step, read in one walk."""

    ready: list
    pending: list
    data: dict
    outcome: str | None
    interrupted: bool = False  # a withdrawal or expiry took over: ``data`` lacks the main flow's
    completed: bool = False  # the workflow is complete (asked once: it walks the task tree)


def snapshot(workflow, process) -> Snapshot:
    """Ready user tasks, waiting external tasks, the freshest data and the outcome."""
    ready, pending, first_ready, outcome, end_task = [], [], None, None, None
    completed = workflow.is_completed()
    for task in tasks_in_order(workflow):
        spec = task.task_spec
        if task.state == TaskState.READY:
            first_ready = first_ready or task
            if isinstance(spec, UserTask):
                ready.append(_ready_task(task, process.model))
            elif isinstance(spec, ServiceTask) and spec.manual:
                pending.append((str(task.id), spec.bpmn_id, spec.operation_name))
        elif completed and outcome is None and task.state == TaskState.COMPLETED and isinstance(spec, EndEvent):
            element = process.model.elements.get(spec.bpmn_id)
            outcome = element.outcome if element is not None else None
            end_task = task if outcome else None
    interrupted = any(process.model.interrupts(t.task_spec.name) for t in workflow.task_tree.children)
    if completed:
        data = _final_data(workflow, end_task)
    else:
        data = first_ready.data if first_ready else (workflow.last_task.data if workflow.last_task else {})
    return Snapshot(ready, pending, data, outcome, interrupted, completed)


def _ready_task(task, model) -> ReadyTask:
    element = model.elements[task.task_spec.bpmn_id]
    return ReadyTask(id=str(task.id), element_id=element.id, title=element.name or element.id,
                     lane=element.lane, form_key=element.form_key,
                     due_at=_due_at(task, element, model))


def _due_at(task, element, model) -> datetime | None:
    current = element
    while current is not None:
        if current.time_standard and f"due_{current.id}" in task.data:
            return datetime.fromisoformat(task.data[f"due_{current.id}"])
        current = model.elements.get(current.parent) if current.parent else None
    return None


def next_timer_at(workflow) -> datetime | None:
    """The earliest deadline of a waiting timer, in UTC, or None."""
    due = [TimerEventDefinition.get_datetime(e.value) for e in workflow.waiting_events()
           if e.event_type in TIMER_TYPES and isinstance(e.value, str)]
    return min(due).astimezone(timezone.utc) if due else None


def _final_data(workflow, end_task) -> dict:
    # An instance ended by an event sub-process never runs the process's end
    # join, so its result is only in the data of the end event it reached.
    if workflow.data or end_task is None:
        return workflow.data
    return end_task.data


def task_data(workflow) -> dict:
    """The freshest data of the instance: the last completed task's, or the result."""
    if workflow.is_completed():
        ends = workflow.get_tasks(state=TaskState.COMPLETED, spec_class=EndEvent)
        return _final_data(workflow, ends[-1] if ends else None)
    ready = workflow.get_next_task(state=TaskState.READY)  # the first in the tree's order
    return ready.data if ready is not None else (workflow.last_task.data if workflow.last_task else {})
