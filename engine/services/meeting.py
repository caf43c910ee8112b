"""``meeting/create`` (SOP step 5) through the configured meeting provider.

The ``manual`` provider makes no meeting: it raises the BPMN error
``MEETING_FAILED`` so the model routes to Staf's manual "enter meeting
details" task.
"""
from __future__ import annotations

from .registry import ServiceError

MEETING_FAILED = "MEETING_FAILED"


class ManualProvider:
    """Meetings are made by hand in the Zoom app; Staf enters the details."""

    name = "manual"

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key) -> dict:
        """Always hands over to the manual task."""
        raise ServiceError("the manual provider creates no meeting; Staf enters the details",
                           bpmn_error_code=MEETING_FAILED, detail={"provider": self.name})

    def cancel(self, *, meeting: dict, idempotency_key) -> dict:
        """A hand-made meeting is deleted by hand: say so."""
        return {"cancelled": False, "action_needed": "Staf menghapus rapat di aplikasi Zoom",
                "meeting_id": meeting.get("meeting_id")}


def create_meeting(ctx, topic: str, start_at: str, duration_minutes: int, host_id: str = None) -> dict:
    """Operator ``meeting/create``: ask the provider for a meeting."""
    provider = ctx.ports.meeting_provider
    result = provider.create(topic=topic, start_at=start_at, duration_minutes=int(duration_minutes),
                             host_id=host_id, idempotency_key=ctx.idempotency_key)
    return dict(result, provider=provider.name)


def cancel_meeting(ctx, meeting=None) -> dict:
    """Operator ``meeting/cancel``: delete the request's meeting, if one was made."""
    if not isinstance(meeting, dict) or not meeting.get("meeting_id"):
        return {"cancelled": False, "reason": "no meeting"}
    provider = ctx.ports.meeting_provider
    result = provider.cancel(meeting=meeting, idempotency_key=ctx.idempotency_key)
    return dict(result, provider=provider.name)
