"""Which elements of an instance's diagram are completed, current or failed,
from its audit trail, its ready tasks and its jobs (never the workflow state).

Tasks, service tasks, timers and the start event leave audit events. Gateways,
other events and sequence flows leave none: they count as passed when they lie
on a path from a recorded element to one recorded later (or current), and an
end event with an outcome only when the instance ended with that outcome.
"""
from __future__ import annotations

from dataclasses import dataclass

NOT_PASSED = ("service_failed", "reminder_sent", "job_retried")  # an element touched, not done
INFERRED_KINDS = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
                  "complexGateway", "startEvent", "endEvent", "boundaryEvent",
                  "intermediateCatchEvent", "intermediateThrowEvent"}
CONTAINERS = {"subProcess", "transaction", "adHocSubProcess"}
NOW = float("inf")  # when a current element is reached


@dataclass(frozen=True)
class ElementStates:
    """Element and flow ids by their state in one instance."""

    completed: list
    current: list
    failed: list


def element_states(model, events, current: set, failed: set, status: str,
                   outcome: str | None) -> ElementStates:
    """The states of ``model``'s elements for an instance whose audit events are
    ``events`` (objects with ``seq``, ``type``, ``task``), with ``current`` and
    ``failed`` element ids from its ready tasks and jobs."""
    times, errors = _recorded(model, events)
    current, failed = _with_containers(model, current), _with_containers(model, failed)
    for element in current | failed:  # reached, not passed
        times.setdefault(element, []).append(NOW)
    passed, flows = _inferred(model, times, errors, status, outcome)
    done = (set(times) | passed | _containers_of(model, set(times) | passed)) - current - failed
    return ElementStates(sorted(done | flows), sorted(current), sorted(failed - current))


def _ended_by_error(event) -> bool:
    """A service task that threw a BPMN error its boundary event caught."""
    data = getattr(event, "data", None)
    return (event.type == "service_failed" and isinstance(data, dict)
            and bool(data.get("error_code")))


def _recorded(model, events) -> tuple[dict, set]:
    """Element -> seqs of the events that passed it; (element, seq) left by a BPMN error."""
    times: dict[str, list] = {}
    errors = set()
    for event in events:
        if event.task not in model.elements:
            continue
        if _ended_by_error(event):
            errors.add((event.task, event.seq))
        elif event.type in NOT_PASSED:
            continue
        times.setdefault(event.task, []).append(event.seq)
    for element in model.elements.values():  # a container's time is its children's
        if element.kind in CONTAINERS:
            inner = [t for e in model.elements.values() if e.parent == element.id
                     for t in times.get(e.id, [])]
            if inner:
                times.setdefault(element.id, []).extend(inner)
    return times, errors


def _with_containers(model, ids: set) -> set:
    return set(ids) | _containers_of(model, ids)


def _containers_of(model, ids: set) -> set:
    out = set()
    for element_id in ids:
        parent = model.elements[element_id].parent if element_id in model.elements else None
        while parent:
            out.add(parent)
            parent = model.elements[parent].parent
    return out


def _outgoing(model) -> dict:
    out: dict[str, list] = {}
    for flow in model.flows:
        out.setdefault(flow.source, []).append(flow)
    return out


def _inferred(model, times: dict, errors: set, status: str, outcome: str | None) -> tuple[set, set]:
    """Unrecorded elements and flows on paths between recorded elements (a task
    that ended in a BPMN error left by its boundary event, not its flows)."""
    outgoing = _outgoing(model)
    last = max((t for ts in times.values() for t in ts if t != NOW), default=0)
    passed, flows = set(), set()
    anchors = [(e, t) for e, ts in times.items() for t in ts if t != NOW and (e, t) not in errors]
    anchors += [(e.id, -1) for e in model.elements.values()
                if e.kind in ("startEvent", "boundaryEvent") and e.id not in times]
    for element_id, at in anchors:
        for path_nodes, path_flows in _paths(model, outgoing, element_id, times):
            end = path_nodes[-1]
            if _reaches(model, end, at, times, last, status, outcome):
                passed.update(path_nodes[:-1] if end in times else path_nodes)
                flows.update(path_flows)
                if at == -1:
                    passed.add(element_id)
    return passed, flows


def _paths(model, outgoing, start: str, times: dict):
    """Paths from ``start`` through unrecorded gateways and events to the first
    recorded element (or an unrecorded end event): (nodes, flows) after start."""
    stack: list[tuple[list, list, str]] = [([], [], start)]
    while stack:
        nodes, flows, node = stack.pop()
        for flow in outgoing.get(node, []):
            target = flow.target
            if target in nodes or target not in model.elements:
                continue
            step_nodes, step_flows = nodes + [target], flows + [flow.id]
            kind = model.elements[target].kind
            if target in times or kind not in INFERRED_KINDS or not outgoing.get(target):
                yield step_nodes, step_flows
            else:
                stack.append((step_nodes, step_flows, target))


def _reaches(model, end: str, at, times: dict, last, status: str, outcome: str | None) -> bool:
    """True when a path from an anchor recorded at ``at`` to ``end`` was taken."""
    if end in times:
        return any(t > at for t in times[end])
    element = model.elements[end]
    if element.kind != "endEvent" or at == -1:
        return False
    if element.outcome:  # the instance's own end: only the one it ended at, from its last step
        return status == "completed" and element.outcome == outcome and at == last
    return True
