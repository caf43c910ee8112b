"""What a move to another version does to one request: new deadlines for the
steps it is in, and which of the version's changes still lie ahead of it.

A step under way whose time standard differs in the target version gets the
new standard, measured in working time from when the step opened (the
engine's clock when its first task still open appeared): its ``due_<step>``
variable, its due time and its waiting deadline timer all follow. A step
whose standard is unchanged, or whose opening is unknown, keeps its deadline.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow import TaskState

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass(frozen=True)
class DeadlineChange:
    """A step under way whose deadline moves from ``before`` to ``after``."""

    id: str
    name: str | None
    before: datetime
    after: datetime


def _inside(model, element_id: str | None, host: str) -> bool:
    while element_id:
        if element_id == host:
            return True
        element = model.elements.get(element_id)
        element_id = element.parent if element else None
    return False


def _opened(workflow, model, host: str, opened: dict) -> datetime | None:
    times = [datetime.fromisoformat(opened[str(t.id)]) for t in workflow.get_tasks(state=TaskState.READY)
             if str(t.id) in opened and _inside(model, t.task_spec.bpmn_id, host)]
    return min(times) if times else None


def _retimed_hosts(workflow, source, target) -> list[str]:
    hosts = []
    for task in workflow.get_tasks(state=LIVE):
        element_id = task.task_spec.bpmn_id
        before, after = source.model.elements.get(element_id), target.model.elements.get(element_id)
        if before and after and after.time_standard and before.time_standard != after.time_standard \
                and element_id not in hosts:
            hosts.append(element_id)
    return hosts


def restamp(workflow, source, target, opened: dict, deadline) -> tuple:
    """Give the steps under way whose standard changed their new deadline
    (``deadline(start, standard)``); the changes made, for the dry run."""
    changes = []
    for host in _retimed_hosts(workflow, source, target):
        variable = f"due_{host}"
        start = _opened(workflow, target.model, host, opened)
        live = [t for t in workflow.get_tasks() if not t.has_state(TaskState.FINISHED_MASK)
                and variable in t.data]
        if start is None or not live:
            continue
        before = datetime.fromisoformat(live[0].data[variable])
        after = deadline(start, target.model.elements[host].time_standard)
        for task in live:
            task.data[variable] = after.isoformat()
            definition = getattr(task.task_spec, "event_definition", None)
            if task.state == TaskState.WAITING and getattr(definition, "expression", None) == variable:
                task.internal_data["event_value"] = after.isoformat()
        if after != before:
            changes.append(DeadlineChange(host, target.model.elements[host].name, before, after))
    return tuple(changes)


def _reachable(model, start: set) -> set:
    """Elements reachable from ``start`` along flows, into sub-processes and
    their boundary events."""
    outgoing: dict = {}
    for flow in model.flows:
        outgoing.setdefault(flow.source, []).append(flow.target)
    for element in model.elements.values():
        if element.attached_to:
            outgoing.setdefault(element.attached_to, []).append(element.id)
        if element.parent:
            outgoing.setdefault(element.parent, []).append(element.id)
    seen, stack = set(), [s for s in start if s in model.elements]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(outgoing.get(node, ()))
    return seen


def ahead(workflow, source, target) -> set:
    """Element ids the request can still reach: its live steps and what follows
    them in either version (a step it completed and cannot come back to is not)."""
    live = {t.task_spec.bpmn_id for t in workflow.get_tasks(state=LIVE) if t.task_spec.bpmn_id}
    before = _reachable(source.model, live)
    # from what lies ahead in the old version too: a current step the target lacks still leads on
    return before | _reachable(target.model, live | before)
