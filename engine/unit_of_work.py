"""Saving an instance after a command: state, task projection, jobs, audit
events and domain rows, all in the caller's transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, true, update

from . import audit
from .runtime import next_timer_at, outcome_of, ready_tasks, task_data
from .state import pack_state
from .storage.models import Booking, Instance, Job, Letter, Meeting, ReadyTaskRow

LETTER_RESULTS = {"dispatch": "surat_tanggapan", "notice": "jadwal_penuh"}
RELEASES_BOOKING = {"rejected", "withdrawn", "schedule_full"}


def save_instance(session, instance: Instance, workflow, process, runner, now: datetime) -> None:
    """Write the instance row first (the optimistic lock), then the rest."""
    outcome = outcome_of(workflow, process)
    instance.state = pack_state(workflow)
    instance.status = "completed" if workflow.is_completed() else (
        "error" if instance.status == "error" else "running")
    instance.outcome = outcome
    instance.next_timer_at = next_timer_at(workflow)
    instance.updated_at = now
    session.flush()  # the version check happens here, before anything else is written
    _project_tasks(session, instance, workflow, process)
    _sync_jobs(session, instance, runner.pending_external(workflow), now)
    _sync_domain(session, instance, task_data(workflow), now)
    if outcome in RELEASES_BOOKING:
        session.execute(delete(Booking).where(Booking.instance_id == instance.id))


def record_events(session, instance: Instance, events, *, now: datetime, actor=None,
                  on_behalf_of=None, lanes=None) -> None:
    """Append the engine's events of this command to the audit chain."""
    lanes = lanes or {}
    for event in events:
        audit.append(session, instance, at=now, type_=event.type, actor=actor,
                     on_behalf_of=on_behalf_of, lane=lanes.get(event.element_id),
                     task=event.element_id, task_id=event.task_id, data=event.data)


def _project_tasks(session, instance, workflow, process) -> None:
    session.execute(delete(ReadyTaskRow).where(ReadyTaskRow.instance_id == instance.id))
    for task in ready_tasks(workflow, process):
        session.add(ReadyTaskRow(
            id=task.id, instance_id=instance.id, element_id=task.element_id, title=task.title,
            lane=task.lane, form_key=task.form_key, agency_id=instance.agency_id,
            created_at=task.created_at, due_at=task.due_at))


def _sync_jobs(session, instance, pending, now) -> None:
    pending_ids = {task_id for task_id, _, _ in pending}
    known = set(session.scalars(select(Job.task_id).where(Job.instance_id == instance.id)))
    for task_id, element_id, operator in pending:
        if task_id not in known:
            session.add(Job(instance_id=instance.id, task_id=task_id, element_id=element_id,
                            operator=operator, status="pending", attempts=0, next_attempt_at=now,
                            created_at=now, updated_at=now))
    session.execute(update(Job).where(
        Job.instance_id == instance.id, Job.status.in_(("pending", "incident")),
        Job.task_id.not_in(pending_ids) if pending_ids else true()).values(status="cancelled", updated_at=now))


def _sync_domain(session, instance, data: dict, now) -> None:
    meeting = data.get("meeting")
    if isinstance(meeting, dict) and meeting.get("meeting_id"):
        row = session.scalars(select(Meeting).where(Meeting.instance_id == instance.id)).first()
        if row is None:
            row = Meeting(instance_id=instance.id, created_at=now)
            session.add(row)
        row.provider = meeting.get("provider", "manual")
        row.meeting_id = str(meeting["meeting_id"])
        row.passcode, row.join_url = meeting.get("passcode"), meeting.get("join_url")
        row.host_id = meeting.get("host_id") or (data.get("schedule") or {}).get("host_id")
    for variable, kind in LETTER_RESULTS.items():
        result = data.get(variable)
        if not isinstance(result, dict) or not result.get("document"):
            continue
        exists = session.scalars(select(Letter).where(
            Letter.instance_id == instance.id, Letter.document == result["document"])).first()
        if exists is None:
            session.add(Letter(instance_id=instance.id, kind=kind, document=result["document"],
                               channel=result.get("channel", "outbox"),
                               sent_at=datetime.fromisoformat(result["sent_at"])))
