"""Staff move a created meeting to another free slot.

The command checks that the meeting's host account is free at the new time,
moves the booking and the request's time (the letter, the expiry and the
lists follow) and queues a job; the worker then moves the meeting at the
provider and sends the agency a notice (``meeting/reschedule``). The job
belongs to the instance, not to a BPMN task, so a completed request can
still be moved before its meeting starts. Everything is audited.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from engine.accounts import access
from engine.audit import chain as audit
from engine.requests import queries
from engine.accounts.access import HOST_ONLY
from engine.errors import Conflict, InvalidData, NotFound
from engine.requests.instance_jobs import InstanceJob
from engine.services.schedule import alternatives, free_host
from engine.storage.models import Instance, Job
from engine.runtime.unit_of_work import RELEASES_BOOKING
from engine.runtime.workflow_data import set_current_data

ELEMENT = "@meeting/reschedule"  # a job of the instance, not of a BPMN element
OPERATOR = "meeting/reschedule"
ROLES = ("subkoordinator", "staf", "admin")


def reschedule(kernel, instance_id: str, start_at, actor, reason: str = "", lang: str = "id"):
    """Move the request's meeting to ``start_at`` (ISO 8601 with an offset)."""
    access.require_role(actor, *ROLES)
    start = _parsed(start_at, lang)
    reason = (reason or "").strip()[:500] if isinstance(reason, str) else ""
    with kernel.command(str(instance_id)) as cmd:
        _reschedule(kernel, cmd, start, actor, reason, lang)
        cmd.save()
        cmd.answer_with(queries.answer_view(cmd.session, cmd.instance, cmd.process, actor,
                                            kernel.versions.row(cmd.session, cmd.instance.process_version_id)))
    return cmd.answer


def _parsed(value, lang: str) -> datetime:
    try:
        start = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        start = None
    if start is None or start.tzinfo is None:
        raise InvalidData({"start_at": ["Tanggal-jam dengan zona waktu, mis. 2026-12-09T10:00:00+08:00."
                                        if lang == "id" else
                                        "A date-time with an offset, e.g. 2026-12-09T10:00:00+08:00."]})
    return start


def _movable(instance, now: datetime):
    if instance is None:
        raise NotFound("no such request", "permohonan tidak ditemukan")
    meeting = (instance.facts or {}).get("meeting")
    if not meeting or instance.outcome in RELEASES_BOOKING:
        raise Conflict("the request has no meeting to move", "permohonan ini tidak memiliki rapat untuk dipindah")
    if instance.meeting_start is not None and instance.meeting_start <= now:
        raise Conflict("the meeting has started", "rapat sudah dimulai")
    return instance, meeting


def _require_free(port, host_id, start, duration, participants, instance_id, lang, now) -> str:
    """The host to book at ``start``: the meeting's own (a meeting cannot change host)."""
    active, bookings = port.hosts_and_bookings(start - timedelta(days=1), start + timedelta(days=30))
    hosts = [h for h in active if h.id == host_id] or active
    host = free_host(hosts, bookings, start, start + duration, participants, port.buffer(), instance_id)
    if host is not None:
        return host.id
    slots = alternatives(hosts, bookings, start, duration, participants, port.buffer(), instance_id,
                         calendar=port.calendar(), now=now)
    listed = ", ".join(slots) or "-"
    raise InvalidData({"start_at": [f"Akun host rapat ini tidak kosong pada waktu itu. Waktu kosong terdekat: {listed}."
                                    if lang == "id" else
                                    f"The meeting's host account is not free then. Nearest free times: {listed}."]})


def _reschedule(kernel, cmd, start, actor, reason, lang) -> None:
    session, now = cmd.session, cmd.now
    instance, meeting = _movable(cmd.instance, now)
    if start <= now:
        raise InvalidData({"start_at": ["Waktu mulai harus di masa depan." if lang == "id"
                                        else "The start must be in the future."]})
    request = instance.facts.get("request") or {}
    duration = timedelta(minutes=int(request.get("duration_minutes") or 60))
    port = kernel.ports(session).schedule
    host_id = _require_free(port, meeting.get("host_id"), start, duration,
                            int(request.get("participants") or 1), instance.id, lang, now)
    port.book(instance.id, host_id, start, start + duration)
    previous, new = request.get("start_at"), start.isoformat()
    set_current_data(cmd.workflow, {"request": {"start_at": new}, "meeting": {"start_at": new}})
    audit.append(session, instance, at=now, type_="meeting_rescheduled", actor=actor.username,
                 data={"meeting_id": meeting.get("meeting_id"), "from": previous, "to": new,
                       "reason": reason})
    cmd.save()  # the instance row (its optimistic lock) is written before the job
    _queue(session, instance, meeting, previous, new, duration, reason, actor, now)


def _queue(session, instance, meeting, previous, new, duration, reason, actor, now) -> None:
    """A job for the worker; an earlier move not yet carried out is superseded."""
    session.execute(update(Job).where(Job.instance_id == instance.id, Job.element_id == ELEMENT,
                                      Job.status == "pending").values(status="cancelled", updated_at=now))
    params = {"meeting": {k: v for k, v in meeting.items() if k not in HOST_ONLY}, "start_at": new,
              "duration_minutes": int(duration.total_seconds() // 60), "previous_start_at": previous,
              "reason": reason}
    RescheduleJob().queue(session, instance, "reschedule", params, actor.username, now)


class RescheduleJob(InstanceJob):
    """How the worker runs a reschedule job: its call, and applying its result."""

    element, operator = ELEMENT, OPERATOR

    def apply(self, kernel, cmd, job, outcome: str, payload: dict) -> str:
        """The meeting's new details and the notice into the request, audited; the job's status."""
        if outcome != "result":
            return "unhandled"
        operator = kernel.registry.get(OPERATOR)
        moved = {k: payload[k] for k in ("start_at", "duration_minutes", "start_url") if payload.get(k)}
        set_current_data(cmd.workflow, {"meeting": moved, "reschedule_notice": payload["notice"]},
                         new=("reschedule_notice",))
        audit.append(cmd.session, cmd.instance, at=cmd.now, type_=operator.audit_event, actor=cmd.actor,
                     task=ELEMENT, task_id=job.task_id,
                     data={"operator": OPERATOR, "result": operator.audited(payload)})
        self.change(cmd.session, job).result = operator.audited(payload)
        job.status, job.updated_at = "done", cmd.now
        return job.status
