"""An agency withdraws a request that is already fulfilled (letter received)
while its meeting is still ahead.

Nothing in the finished process waits for a message any more, so the command
itself ends the request as ``withdrawn``, frees the host account and queues a
job of the instance that deletes the meeting at the provider, as a
rescheduling does. Everything is audited.
"""
from __future__ import annotations

from sqlalchemy import delete

from engine.audit import chain as audit
from engine.requests.instance_jobs import InstanceJob
from engine.storage.models import Booking

ELEMENT = "@meeting/cancel"  # a job of the instance, not of a BPMN element
OPERATOR = "meeting/cancel"


def withdraw_fulfilled(session, instance, payload: dict, actor, now) -> None:
    """End a fulfilled request as withdrawn and queue the meeting's deletion."""
    instance.outcome, instance.expires_at, instance.updated_at = "withdrawn", None, now
    session.execute(delete(Booking).where(Booking.instance_id == instance.id))
    audit.append(session, instance, at=now, type_="withdrawal_requested", actor=actor.username, lane="OPD",
                 data={"reason": payload["reason"], "after": "fulfilled",
                       "meeting_id": (payload["meeting"] or {}).get("meeting_id")})
    if not payload["meeting"]:
        return
    CancelJob().queue(session, instance, "cancel", {"meeting": payload["meeting"]}, actor.username, now)


class CancelJob(InstanceJob):
    """How the worker runs the deletion of a withdrawn fulfilled request's meeting."""

    element, operator = ELEMENT, OPERATOR

    def apply(self, kernel, cmd, job, outcome: str, payload: dict) -> str:
        """Record the provider's answer; the job's status."""
        if outcome != "result":
            return "unhandled"
        operator = kernel.registry.get(OPERATOR)
        audit.append(cmd.session, cmd.instance, at=cmd.now, type_=operator.audit_event, actor=cmd.actor,
                     task=ELEMENT, task_id=job.task_id,
                     data={"operator": OPERATOR, "result": operator.audited(payload)})
        self.change(cmd.session, job).result = operator.audited(payload)
        job.status, job.updated_at = "done", cmd.now
        return job.status
