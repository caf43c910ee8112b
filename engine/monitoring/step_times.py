"""Time spent on each step of an instance, read from its audit trail and set
against the step's time standard in working time (the office calendar).

A step starts when the previous step of the flow ended (the event before it,
side events such as reminders, escalations and retries aside) and ends at its
own event; steps that run in parallel are therefore approximate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ENDS_STEP = ("task_completed", "service_completed", "timer_fired")
SIDE_EVENTS = ("reminder_sent", "escalated", "job_retried", "service_failed", "letter_approved",
               "letter_signed", "letter_number_voided", "meeting_deleted", "meeting_rescheduled")


@dataclass(frozen=True)
class StepTime:
    """How long one step took against its standard."""

    element_id: str
    started: datetime
    ended: datetime
    working: timedelta  # office time between start and end
    standard: str | None  # ISO 8601 duration in working time
    due: datetime | None
    within: bool | None  # None: the step has no standard


def standard_of(model, element_id: str) -> str | None:
    """The time standard of a step, or of the sub-process it runs in."""
    element = model.elements.get(element_id)
    while element is not None:
        if element.time_standard:
            return element.time_standard
        element = model.elements.get(element.parent) if element.parent else None
    return None


def _side(model, event) -> bool:
    if event.type in SIDE_EVENTS:
        return True
    element = model.elements.get(event.task) if event.task else None
    return event.type == "timer_fired" and element is not None and not element.cancel_activity


def step_times(model, events, calendar) -> dict:
    """``{seq: StepTime}`` for the events that end a step of ``model``."""
    out, flow_at = {}, None
    for event in events:
        known = event.task in model.elements
        ends = event.type in ENDS_STEP or (known and event.type.endswith("completed"))
        if ends and flow_at is not None and known and not _side(model, event):
            out[event.seq] = timing(model, event.task, flow_at, event.at, calendar)
        if not _side(model, event):
            flow_at = event.at
    return out


def timing(model, element_id: str, started: datetime, ended: datetime, calendar) -> StepTime:
    """One step's working time and whether it kept to its standard."""
    standard = standard_of(model, element_id)
    due = calendar.add(started, standard) if standard else None
    working = calendar.working_time_between(started, ended)
    return StepTime(element_id, started, ended, working, standard, due,
                    None if due is None else ended <= due)
