"""The SOP's steps as the dashboard shows them: the tasks of each lane, in
SOP order, with their time standards. A sub-process with a time standard
(create the meeting, 15 minutes) counts as one step whatever happens inside."""
from __future__ import annotations

import re
from dataclasses import dataclass

STEP_KINDS = ("userTask", "serviceTask", "subProcess")
LANE_ORDER = ("OPD", "Kadis", "Kabid", "Subkoordinator", "Staf")
_NUMBER = re.compile(r"^[A-Z]+(\d+)")


@dataclass(frozen=True)
class Step:
    """One SOP step: its element, lane, name, SOP number and time standard."""

    id: str
    lane: str
    name: str
    number: int
    standard: str | None
    name_en: str | None = None  # the model's ``nameEn``, for English pages


def _number(element_id: str) -> int:
    match = _NUMBER.match(element_id)
    return int(match.group(1)) if match else 99


def _is_side_branch(element) -> bool:
    # escalations hang off a step's timer: they are the step's alarm, not a step
    return bool(element.operator and element.operator.startswith("notify/"))


def sop_steps(model) -> tuple[Step, ...]:
    """The steps of ``model`` (a ProcessModel), lane by lane in SOP order."""
    out = []
    for element in model.elements.values():
        if element.kind not in STEP_KINDS or element.triggered_by_event or _is_side_branch(element):
            continue
        if element.parent is not None:  # inside a sub-process: the sub-process is the step
            continue
        out.append(Step(element.id, element.lane or "", element.name or element.id, _number(element.id),
                        element.time_standard, element.name_en))
    rank = {lane: i for i, lane in enumerate(LANE_ORDER)}
    return tuple(sorted(out, key=lambda s: (rank.get(s.lane, 99), s.number, s.id)))


def step_of(model, element_id: str | None) -> str | None:
    """The step an element's work counts towards (its top-level ancestor), or None."""
    element = model.elements.get(element_id) if element_id else None
    while element is not None and element.parent:
        parent = model.elements.get(element.parent)
        if parent is None or parent.triggered_by_event:
            return None  # withdrawal and expiry handling: not an SOP step
        element = parent
    if element is None or element.kind not in STEP_KINDS or _is_side_branch(element):
        return None
    return element.id


def short_name(name: str) -> str:
    """The step name without its parenthesised standard (shown separately)."""
    return re.sub(r"\s*\(maks\.[^)]*\)", "", name).strip()
