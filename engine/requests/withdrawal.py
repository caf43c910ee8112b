"""An agency withdraws its request before the meeting starts.

The request gets the BPMN message ``withdraw_request``; the model's event
sub-process ``ESP_withdraw`` interrupts whatever was running, deletes the
meeting at the provider (``meeting/cancel``, run by the worker) and ends the
instance with outcome ``withdrawn``, which frees the booking.
"""
from __future__ import annotations

from engine.accounts import access
from engine.audit import chain as audit
from engine.requests import queries
from engine.accounts.access import HOST_ONLY
from engine.errors import Conflict, InvalidData, NotFound
from engine.requests.late_withdrawal import withdraw_fulfilled
from engine.storage.models import Instance

MESSAGE = "withdraw_request"
MAX_REASON = 500


def _checked_reason(reason, lang: str) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise InvalidData({"reason": ["Alasan pembatalan wajib diisi." if lang == "id"
                                      else "A reason for the withdrawal is required."]})
    if len(text) > MAX_REASON:
        raise InvalidData({"reason": [f"Maksimal {MAX_REASON} karakter." if lang == "id"
                                      else f"At most {MAX_REASON} characters."]})
    return text


def payload_of(instance: Instance, reason: str) -> dict:
    """What the model's ``withdrawal`` variable receives: the meeting as made
    (provider ids included, the host's start link left out) and the reason."""
    meeting = (instance.facts or {}).get("meeting")
    if meeting:
        meeting = {k: v for k, v in meeting.items() if k not in HOST_ONLY}
    return {"meeting": meeting, "reason": reason}


def withdraw(kernel, instance_id: str, actor, reason, lang: str = "id"):
    """Withdraw the request (its agency's OPD account, before the meeting starts)."""
    access.require_role(actor, "opd")
    reason = _checked_reason(reason, lang)
    with kernel.command(str(instance_id)) as cmd:
        _withdraw(kernel, cmd, actor, reason)
        cmd.save()
        cmd.answer_with(queries.answer_view(cmd.session, cmd.instance, cmd.process, actor,
                                            kernel.versions.row(cmd.session, cmd.instance.process_version_id)))
    return cmd.answer


def _withdraw(kernel, cmd, actor, reason: str) -> None:
    session, instance, now = cmd.session, cmd.instance, cmd.now
    if instance is None or instance.agency_id != actor.agency_id:
        raise NotFound("no such request", "permohonan tidak ditemukan")
    fulfilled = instance.status == "completed" and instance.outcome == "fulfilled"
    if instance.status not in ("running", "error") and not fulfilled:
        raise Conflict("the request is already finished", "permohonan sudah selesai")
    if instance.meeting_start is not None and instance.meeting_start <= now:
        raise Conflict("the meeting has started; the request can no longer be withdrawn",
                       "rapat sudah dimulai; permohonan tidak dapat dibatalkan lagi")
    payload = payload_of(instance, reason)
    if fulfilled:  # the process is over: the command ends it and a job deletes the meeting
        withdraw_fulfilled(session, instance, payload, actor, now)
        return
    if not kernel.runner.send_message(cmd.workflow, cmd.process, MESSAGE, payload, cmd.run):
        raise Conflict("nothing in the request waits for a withdrawal",
                       "permohonan tidak dapat dibatalkan pada tahap ini")
    audit.append(session, instance, at=now, type_="withdrawal_requested", actor=actor.username,
                 lane="OPD", data={"reason": reason, "meeting_id": (payload["meeting"] or {}).get("meeting_id")})
