"""The one rule for how long a request spent in each SOP step, read from its
audit trail and set against the step's time standard in working time (the
office calendar): ``measure_steps``. The request's page calls it directly;
the dashboard and the recap read ``step_times``, a cache of it
(engine/monitoring/projection.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.monitoring.sop_lanes import step_of

FINISHES = ("task_completed", "service_completed", "timer_fired")
MIGRATED = "instance_migrated"
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class StepTime:
    """One step of one request: when it opened and closed (or how long it has
    run so far), its working time, its standard and by how much it overran."""

    element_id: str  # the SOP step: a top-level task or sub-process
    seq: int | None  # the audit event that closed it; None while it runs
    started: datetime
    ended: datetime
    working: timedelta  # office time between start and end
    standard: str | None  # ISO 8601 duration in working time
    due: datetime | None
    late: timedelta  # office time past due
    lane: str | None = None
    actor: str | None = None

    @property
    def breached(self) -> bool:
        """True when the step overran its standard by a minute of office time or more."""
        return self.due is not None and self.late >= _MINUTE

    @property
    def within(self) -> bool | None:
        """Whether the step kept its standard; None when it has none."""
        return None if self.due is None else not self.breached

    @property
    def minutes(self) -> int:
        """Whole office minutes the step took."""
        return _whole_minutes(self.working)

    @property
    def late_minutes(self) -> int:
        """Whole office minutes past due."""
        return _whole_minutes(self.late)


@dataclass(frozen=True)
class MeasuredSteps:
    """A request's finished steps in the order they closed, and the steps it is in now."""

    finished: tuple[StepTime, ...]
    running: tuple[StepTime, ...] = ()

    def by_seq(self) -> dict[int, StepTime]:
        """The finished steps by the audit event that closed them."""
        return {s.seq: s for s in self.finished if s.seq is not None}

    def running_step(self, model, element_id: str) -> StepTime | None:
        """The running step an open element of ``model`` belongs to, if any."""
        step = step_of(model, element_id)
        return next((s for s in self.running if s.element_id == step), None)


def versions_seen(events: Iterable, version: int) -> set[int]:
    """The version numbers a request's trail ran on: ``version`` (its version
    now) and every version it was migrated from."""
    seen = {version}
    for event in events:
        if event.type == MIGRATED and (event.data or {}).get("from_version") is not None:
            seen.add(int(event.data["from_version"]))
    return seen


def measure_steps(events: Iterable, models: Mapping[int, object], version: int, calendar,
                  open_elements: Iterable[str] = (), now: datetime | None = None) -> MeasuredSteps:
    """The steps of one request from its audit ``events`` (oldest first; each
    with ``seq``, ``at``, ``type``, ``task``, ``actor``, ``data``).

    ``models`` maps the version numbers of ``versions_seen`` to their process
    models, ``version`` is the version the request runs now and ``calendar``
    the working calendar. With ``now``, the steps of ``open_elements`` (the
    elements it waits on) are measured up to ``now`` as running steps.

    The rule, and why (SOP.md, "The ten steps"):

    - **A step** is a top-level task or sub-process of the model
      (``sop_lanes.step_of``); escalations and the withdrawal and expiry
      handling are not steps. It opens when the previous step closed (or the
      request started) and closes with the event that finishes it: its task
      completed, its service result, or the interrupting timer that ends it.
      Reminders, escalations, failed calls, letters and migrations open and
      close nothing.
    - **A step inside a sub-process** counts towards the sub-process: SOP
      step 5 gives Staf 15 minutes to make the meeting, however it is made
      (by Zoom's API, or by hand after a failure). SP05 is the step, timed
      from when it opened to the inner event after which it ends, against
      its own standard; inner events that do not end it are no steps.
    - **A request migrated mid-step** stays in the same step: the move is the
      analysts' act, not the official's, so it neither closes nor reopens it.
      The step runs from when it opened to when it closed, against the
      standard of the version it finished on measured from its opening, as
      the move itself re-stamps the due time of a step under way
      (engine/versions/migration_deadlines.py).
    - **A receipt deemed given** (its interrupting timer closed step 10) is
      step 10 finished, against its standard: the SOP sets the agency no
      time for it ("-"), and ``P3D`` is when the service takes the receipt as
      given. The deemed receipt is that standard doing what it is for, so it
      is kept, unless the timer closed the step after the standard ran out
      (no worker ran at its due time): then the service held it too long.
    - **A breach** is a step closed a whole minute of office time or more past
      its due time. Office minutes are the unit of every figure shown (page,
      dashboard, recap, CSV) and the standards count office time only: a step
      done after closing time on its due day used no office time past it,
      and a timer firing in the seconds the worker takes to poll is on time.
    """
    events = list(events)
    model = models.get(_first_version(events, version), models[version])
    finished, opened = [], None
    for event in events:
        if event.type == MIGRATED:
            model = models.get(int((event.data or {}).get("to_version", version)), models[version])
            continue
        if event.type == "instance_started":
            opened = event.at
            continue
        step = closed_step(model, event)
        if step is None:
            continue
        if opened is not None:
            finished.append(_timed(model, step, event.seq, opened, event.at, calendar, event.actor))
        opened = event.at
    running = _running(models[version], open_elements, opened, now, calendar)
    return MeasuredSteps(tuple(finished), running)


def closed_step(model, event) -> str | None:
    """The step ``event`` closes in ``model``, or None."""
    if event.type not in FINISHES or not event.task:
        return None
    element = model.elements.get(event.task)
    if element is None:
        return None
    if event.type == "timer_fired":
        if not element.attached_to or not element.cancel_activity:
            return None  # a reminder's or an escalation's timer: the step goes on
        step = step_of(model, element.attached_to)
        closes = step == element.attached_to or _ends_sub_process(model, element.id, step)
        return step if closes else None
    step = step_of(model, element.id)
    if step is None or step == element.id:
        return step
    return step if _ends_sub_process(model, element.id, step) else None


def _first_version(events: list, version: int) -> int:
    for event in events:
        if event.type == MIGRATED and (event.data or {}).get("from_version") is not None:
            return int(event.data["from_version"])
    return version


def _ends_sub_process(model, element_id: str, step: str | None) -> bool:
    """True when the sub-process ``step`` can end right after ``element_id``:
    a flow leads from it, through gateways and events only, to its end."""
    if step is None:
        return False
    outgoing: dict[str, list[str]] = {}
    for flow in model.flows:
        outgoing.setdefault(flow.source, []).append(flow.target)
    seen, stack = set(), list(outgoing.get(element_id, []))
    while stack:
        node = stack.pop()
        element = model.elements.get(node)
        if node in seen or element is None:
            continue
        seen.add(node)
        if element.kind == "endEvent":
            if element.parent == step:
                return True
            if element.parent:  # a nested sub-process ends: go on after it
                stack.extend(outgoing.get(element.parent, []))
            continue
        if not _is_work(element):
            stack.extend(outgoing.get(node, []))
    return False


def _is_work(element) -> bool:
    return element.kind.endswith("Task") or element.kind in ("subProcess", "callActivity")


def _running(model, open_elements: Iterable[str], opened: datetime | None, now: datetime | None,
             calendar) -> tuple[StepTime, ...]:
    if now is None or opened is None:
        return ()
    steps = dict.fromkeys(s for s in (step_of(model, e) for e in open_elements) if s)
    return tuple(_timed(model, step, None, opened, max(now, opened), calendar, None) for step in steps)


def _timed(model, step: str, seq: int | None, started: datetime, ended: datetime, calendar,
           actor: str | None) -> StepTime:
    element = model.elements[step]
    standard = element.time_standard
    due = calendar.add(started, standard) if standard else None
    late = calendar.working_time_between(due, ended) if due is not None and ended > due else timedelta(0)
    return StepTime(step, seq, started, ended, calendar.working_time_between(started, ended), standard, due,
                    late, element.lane, actor)


def _whole_minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
