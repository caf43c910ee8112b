"""Meeting providers and the operators that use them.

A provider makes meetings on some service: ``create``, ``get``,
``reschedule``, ``cancel`` and ``busy_times`` (the meetings a host account
already has there). ``manual`` (the default) makes none: ``create`` raises
the BPMN error ``MEETING_FAILED`` so the model routes to Staf's manual "enter
meeting details" task. ``zoom`` (``zoom_provider``) and ``jitsi`` (``jitsi``)
make them for real. Providers that schedule on our host accounts say so
with ``uses_host_accounts`` and get the candidate hosts and the request's
marker from the operator.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.errors import ServiceError

MEETING_FAILED = "MEETING_FAILED"


@dataclass(frozen=True)
class HostRef:
    """A host account as a provider needs it: our id and its user at the service."""

    id: str
    user: str  # the Zoom user id or e-mail
    name: str = ""


@dataclass(frozen=True)
class BusyTime:
    """A meeting a host account has at the service."""

    external_id: str
    start: datetime
    end: datetime
    topic: str = ""
    marker: str | None = None  # ours when it carries a request's marker


def marker_of(instance_id: str) -> str:
    """The text that ties a meeting at the service to our request."""
    return f"vicon:{instance_id}"


class ManualProvider:
    """Meetings are made by hand in the Zoom app; Staf enters the details."""

    name = "manual"
    uses_host_accounts = False

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key) -> dict:
        """Always hands over to the manual task."""
        raise ServiceError("Rapat dibuat secara manual: buat rapat di aplikasi Zoom lalu isi detailnya.",
                           bpmn_error_code=MEETING_FAILED,
                           detail={"provider": self.name, "message_en": "Meetings are made by hand: create "
                                   "the meeting in the Zoom app, then enter its details."})

    def get(self, *, meeting: dict) -> dict:
        """What Staf entered is all there is."""
        return dict(meeting)

    def reschedule(self, *, meeting: dict, start_at, duration_minutes, idempotency_key) -> dict:
        """A hand-made meeting is moved by hand: say so."""
        return {"updated": False, "action_needed": "Staf mengubah waktu rapat di aplikasi Zoom",
                "meeting_id": meeting.get("meeting_id")}

    def cancel(self, *, meeting: dict, idempotency_key) -> dict:
        """A hand-made meeting is deleted by hand: say so."""
        return {"cancelled": False, "action_needed": "Staf menghapus rapat di aplikasi Zoom",
                "meeting_id": meeting.get("meeting_id")}

    def busy_times(self, host: HostRef, lo: datetime, hi: datetime) -> list:
        """Nothing is known beyond our own bookings."""
        return []


def _host_options(ctx, start_at: str, duration_minutes: int, host_id) -> dict:
    """Candidate hosts (the booked one first), every host (where an earlier attempt may
    have left the meeting) and the marker, for providers that use host accounts."""
    provider, hosts_port = ctx.ports.meeting_provider, getattr(ctx.ports, "hosts", None)
    if not getattr(provider, "uses_host_accounts", False):
        return {}
    participants = int((ctx.data.get("request") or {}).get("participants") or 1)
    if hosts_port is None:
        hosts = [HostRef(host_id, host_id)] if host_id else []
        return {"hosts": hosts, "marker": marker_of(ctx.instance_id), "all_hosts": hosts}
    hosts = hosts_port.candidates(ctx.instance_id, host_id, datetime.fromisoformat(start_at),
                                  int(duration_minutes), participants)
    return {"hosts": hosts, "marker": marker_of(ctx.instance_id), "all_hosts": hosts_port.all()}


def create_meeting(ctx, topic: str, start_at: str, duration_minutes: int, host_id: str | None = None) -> dict:
    """Operator ``meeting/create``: ask the provider for a meeting."""
    provider = ctx.ports.meeting_provider
    options = _host_options(ctx, start_at, duration_minutes, host_id)
    result = provider.create(topic=topic, start_at=start_at, duration_minutes=int(duration_minutes),
                             host_id=host_id, idempotency_key=ctx.idempotency_key, **options)
    return dict(result, provider=provider.name)


def cancel_meeting(ctx, meeting=None) -> dict:
    """Operator ``meeting/cancel``: delete the request's meeting, if one was made.

    A provider on our host accounts also looks for a meeting that carries the
    request's marker but never reached the request (its creation was still
    running when the request was withdrawn)."""
    provider = ctx.ports.meeting_provider
    has_meeting = isinstance(meeting, dict) and bool(meeting.get("meeting_id"))
    if getattr(provider, "uses_host_accounts", False):
        hosts_port = getattr(ctx.ports, "hosts", None)
        hosts = hosts_port.all() if hosts_port is not None else []
        result = provider.cancel(meeting=meeting if has_meeting else None, idempotency_key=ctx.idempotency_key,
                                 hosts=hosts, marker=marker_of(ctx.instance_id))
        return dict(result, provider=provider.name)
    if not has_meeting:
        return {"cancelled": False, "reason": "no meeting"}
    result = provider.cancel(meeting=meeting, idempotency_key=ctx.idempotency_key)
    return dict(result, provider=provider.name)
