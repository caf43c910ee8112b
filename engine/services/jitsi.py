"""The ``jitsi`` meeting provider: an unguessable room on our Jitsi server.

Jitsi has no "create meeting" call: a room exists once someone joins its
URL, so a meeting is a random room name (128 bits) and a passcode the host
sets as the room's password when opening it. Moving or deleting a meeting
touches nothing at the server.
"""
from __future__ import annotations

import secrets

from engine.services.meeting import HostRef
from engine.services.zoom_provider import passcode


class JitsiProvider:
    """Rooms under ``base_url`` (e.g. ``https://meet.tarakankota.go.id``)."""

    name = "jitsi"
    uses_host_accounts = False

    def __init__(self, base_url: str, make_passcode=passcode):
        self.base_url = base_url.rstrip("/")
        self.make_passcode = make_passcode

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key) -> dict:
        """A fresh room; the worker's journal keeps a retried job on the first one."""
        room = f"Diskominfo-Tarakan-{secrets.token_urlsafe(16)}"
        return {"meeting_id": room, "passcode": self.make_passcode(),
                "join_url": f"{self.base_url}/{room}", "host_id": host_id,
                "start_at": start_at, "duration_minutes": int(duration_minutes)}

    def get(self, *, meeting: dict) -> dict:
        """The room as we made it."""
        return dict(meeting)

    def reschedule(self, *, meeting: dict, start_at, duration_minutes, idempotency_key) -> dict:
        """A room has no time: nothing to change at the server."""
        return {"updated": True, "meeting_id": meeting.get("meeting_id"), "start_at": start_at,
                "duration_minutes": int(duration_minutes)}

    def cancel(self, *, meeting: dict, idempotency_key) -> dict:
        """An unused room vanishes by itself."""
        return {"cancelled": True, "meeting_id": meeting.get("meeting_id")}

    def busy_times(self, host: HostRef, lo, hi) -> list:
        """Rooms do not occupy host accounts."""
        return []
