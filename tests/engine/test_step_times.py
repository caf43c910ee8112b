"""The step-time rule on its own (engine/monitoring/step_times.py): a trail of
audit events against the bundled SOP and the office calendar, no database."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from engine import WorkingCalendar
from engine.definitions.compiler import compile_process
from engine.monitoring.step_times import measure_steps
from engine.services.catalog import default_registry
from tests.engine.sop_versions import sop_bundle

MODELS = {1: compile_process(*sop_bundle(), default_registry()).model}
CALENDAR = WorkingCalendar()


@dataclass(frozen=True)
class Event:
    seq: int
    at: datetime
    type: str
    task: str | None
    actor: str | None = None
    data: dict = field(default_factory=dict)


def wita(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


def trail(*steps) -> list[Event]:
    """Events numbered in order from (time, type, task) triples."""
    return [Event(seq, wita(at), type_, task) for seq, (at, type_, task) in enumerate(steps, 1)]


TO_STAF = (("2026-12-07T09:00", "instance_started", "S01_request_submitted"),
           ("2026-12-07T09:00", "task_completed", "T02_disposition_kadis"),
           ("2026-12-07T09:00", "task_completed", "T03_disposition_kabid"),
           ("2026-12-07T09:00", "service_completed", "T04_check_schedule"),
           ("2026-12-07T15:45", "task_completed", "T04_disposition_staf"))  # SP05 opens, due 16:00


def meeting(events) -> object:
    [step] = [s for s in measure_steps(events, MODELS, 1, CALENDAR).finished
              if s.element_id == "SP05_create_meeting"]
    return step


def test_a_step_done_after_closing_time_on_its_due_day_used_no_office_time_past_it():
    evening = meeting(trail(*TO_STAF, ("2026-12-07T19:00", "task_completed", "T05_enter_meeting_details")))
    assert (evening.minutes, evening.late_minutes, evening.within) == (15, 0, True)
    morning = meeting(trail(*TO_STAF, ("2026-12-08T07:31", "task_completed", "T05_enter_meeting_details")))
    assert (morning.minutes, morning.late_minutes, morning.breached) == (16, 1, True)


def test_alarms_and_failed_calls_neither_open_nor_close_a_step():
    events = trail(*TO_STAF,
                   ("2026-12-07T15:46", "service_failed", "T05_create_meeting"),
                   ("2026-12-07T15:55", "reminder_sent", "T05_enter_meeting_details"),
                   ("2026-12-08T07:30", "timer_fired", "B05_sla_timer"),  # not interrupting
                   ("2026-12-08T07:30", "service_completed", "T05_escalate"),
                   ("2026-12-08T07:40", "task_completed", "T05_enter_meeting_details"))
    measured = measure_steps(events, MODELS, 1, CALENDAR)
    assert [s.element_id for s in measured.finished] == [
        "T02_disposition_kadis", "T03_disposition_kabid", "T04_check_schedule", "T04_disposition_staf",
        "SP05_create_meeting"]
    step = measured.finished[-1]
    assert (step.started, step.seq, step.minutes, step.late_minutes) == (wita("2026-12-07T15:45"), 10, 25, 10)


def test_the_meeting_made_by_the_service_ends_the_sub_process_step():
    step = meeting(trail(*TO_STAF, ("2026-12-07T15:50", "service_completed", "T05_create_meeting")))
    assert (step.minutes, step.standard, step.within) == (5, "PT15M", True)


def test_a_running_step_is_timed_from_when_it_opened_up_to_now():
    measured = measure_steps(trail(*TO_STAF), MODELS, 1, CALENDAR, ["T05_enter_meeting_details"],
                             now=wita("2026-12-08T07:40"))
    [running] = measured.running
    assert measured.running_step(MODELS[1], "T05_enter_meeting_details") is running
    assert (running.element_id, running.seq, running.started) == (
        "SP05_create_meeting", None, wita("2026-12-07T15:45"))
    assert running.working == timedelta(minutes=25) and running.late_minutes == 10 and running.breached
    assert measure_steps(trail(*TO_STAF), MODELS, 1, CALENDAR, ["T05_enter_meeting_details"]).running == ()
