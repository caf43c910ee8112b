"""The ``zoom`` meeting provider: meetings on our licensed Zoom host accounts.

Never two meetings for one request: every meeting carries the request's
marker at the start of its agenda, and ``create`` first looks for a meeting
with that marker on the candidate hosts (a worker may have died, or a call
timed out, after Zoom made it) and creates one only when none is found. A
host that cannot take the meeting (daily limit, not allowed to host, not in
the account) is skipped for the next free one; when none is left, the
request goes to Staf's manual task (BPMN error ``MEETING_FAILED``).
"""
from __future__ import annotations

import secrets
import string
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from engine.services.meeting import BusyTime, HostRef
from engine.services.zoom_errors import ZoomError, manual_fallback, service_error

PAGE_SIZE = 300
PASSCODE_LENGTH = 8
PASSCODE_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def passcode(rng=secrets) -> str:
    """A passcode Zoom accepts under its complexity rules: 8 of ``[A-Za-z0-9]``
    (look-alikes left out), with an upper-case letter, a lower-case letter and a
    digit, no character twice in a row."""
    while True:
        code = "".join(rng.choice(PASSCODE_ALPHABET) for _ in range(PASSCODE_LENGTH))
        if (any(c.isupper() for c in code) and any(c.islower() for c in code)
                and any(c.isdigit() for c in code) and all(a != b for a, b in zip(code, code[1:]))):
            return code


def zoom_time(moment: datetime) -> str:
    """``2026-12-09T02:00:00Z``: Zoom's UTC form."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_zoom_time(value: str) -> datetime:
    """An aware datetime from Zoom's ``start_time`` (UTC, ``Z``)."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class ZoomProvider:
    """Creates, reads, moves and deletes meetings through a ZoomClient."""

    name = "zoom"
    uses_host_accounts = True

    def __init__(self, client, timezone_id: str = "Asia/Singapore", make_passcode=passcode):
        self.client = client
        self.timezone_id = timezone_id
        self.make_passcode = make_passcode

    # -- create -------------------------------------------------------------------

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key, hosts=(),
               marker=None, all_hosts=()) -> dict:
        """The request's meeting: found by its marker on any host (``all_hosts``),
        else created on the first of ``hosts`` (the free ones) that takes it."""
        hosts = list(hosts) or ([HostRef(host_id, host_id)] if host_id else [])
        marker = marker or f"vicon:{idempotency_key}"
        start = datetime.fromisoformat(start_at)
        for host in list(all_hosts) or hosts:
            found = self._find_or_fail(host, marker)
            if found:
                return self._adopted(found, host, start, duration_minutes)
        body = self._body(topic, start, duration_minutes, marker)
        blocked = []
        for host in hosts:
            try:
                made = self.client.post(f"/users/{quote(host.user)}/meetings", body)
            except ZoomError as error:
                if error.ambiguous:  # it may exist: look before anything else
                    found = self._find_or_fail(host, marker)
                    if found:
                        return self._adopted(found, host, start, duration_minutes)
                    raise service_error(error, host=host.name or host.id) from None
                if error.host_blocked:
                    blocked.append(error.words(host.name or host.id))
                    continue
                raise service_error(error, host=host.name or host.id) from None
            return dict(self._details(made, host), start_at=start_at)
        raise manual_fallback(blocked)

    def _adopted(self, found: dict, host: HostRef, start: datetime, duration_minutes: int) -> dict:
        """A meeting of this request made earlier, set to the asked time if it differs."""
        if found.get("start_time") != zoom_time(start) or found.get("duration") != int(duration_minutes):
            try:
                self.client.patch(f"/meetings/{found['id']}", {"start_time": zoom_time(start),
                                                               "duration": int(duration_minutes),
                                                               "timezone": self.timezone_id})
            except ZoomError as error:
                raise service_error(error, host=host.name or host.id, meeting=str(found["id"])) from None
            found = {"id": found["id"]}  # read back in full below
        return dict(self._details(found, host), start_at=start.isoformat())

    def _body(self, topic: str, start: datetime, duration_minutes: int, marker: str) -> dict:
        agenda = f"{marker}\nDifasilitasi Diskominfo Kota Tarakan: {topic}"
        return {"topic": topic[:200], "type": 2, "start_time": zoom_time(start),
                "duration": int(duration_minutes), "timezone": self.timezone_id,
                "password": self.make_passcode(), "agenda": agenda[:2000],
                "settings": {"waiting_room": True, "join_before_host": False, "mute_upon_entry": True,
                             "host_video": True, "participant_video": False, "approval_type": 2,
                             "audio": "both", "auto_recording": "none", "use_pmi": False}}

    def _details(self, meeting: dict, host: HostRef) -> dict:
        """What we keep: the join details for the letter, the start link for staff."""
        full = meeting if meeting.get("start_url") else self.client.get(f"/meetings/{meeting['id']}")
        return {"meeting_id": str(full["id"]), "passcode": full.get("password"),
                "join_url": full.get("join_url"), "start_url": full.get("start_url"),
                "host_id": host.id, "host_user": host.user, "zoom_uuid": full.get("uuid"),
                "start_at": full.get("start_time"), "duration_minutes": full.get("duration")}

    def _find_or_fail(self, host: HostRef, marker: str) -> dict | None:
        try:
            return self.find(host, marker)
        except ZoomError as error:
            if error.host_blocked or error.gone:
                return None  # nothing of ours can be there
            raise service_error(error, host=host.name or host.id) from None

    def find(self, host: HostRef, marker: str) -> dict | None:
        """The host's upcoming meeting that carries ``marker``, or None."""
        return next((m for m in self.upcoming(host) if marker in (m.get("agenda") or "")), None)

    def upcoming(self, host: HostRef) -> list[dict]:
        """Every upcoming scheduled meeting of ``host`` (all pages)."""
        meetings: list[dict] = []
        token: str | None = None
        while True:
            params = {"type": "upcoming", "page_size": PAGE_SIZE}
            if token:
                params["next_page_token"] = token
            page = self.client.get(f"/users/{quote(host.user)}/meetings", **params)
            meetings += page.get("meetings") or []
            token = page.get("next_page_token")
            if not token:
                return meetings

    # -- read, move, delete ---------------------------------------------------------

    def get(self, *, meeting: dict) -> dict:
        """The meeting as Zoom has it now (a fresh start link for staff)."""
        try:
            return self.client.get(f"/meetings/{meeting['meeting_id']}")
        except ZoomError as error:
            raise service_error(error, meeting=str(meeting.get("meeting_id"))) from None

    def reschedule(self, *, meeting: dict, start_at, duration_minutes, idempotency_key) -> dict:
        """Move the meeting to ``start_at`` (PATCH), then read it back."""
        start = datetime.fromisoformat(start_at)
        body = {"start_time": zoom_time(start), "duration": int(duration_minutes),
                "timezone": self.timezone_id}
        meeting_id = str(meeting["meeting_id"])
        try:
            self.client.patch(f"/meetings/{meeting_id}", body)
            fresh = self.client.get(f"/meetings/{meeting_id}")
        except ZoomError as error:
            raise service_error(error, host=meeting.get("host_id", ""), meeting=meeting_id) from None
        return {"updated": True, "meeting_id": meeting_id, "start_at": fresh.get("start_time"),
                "duration_minutes": fresh.get("duration"), "start_url": fresh.get("start_url")}

    def cancel(self, *, meeting: dict | None, idempotency_key, hosts=(), marker=None) -> dict:
        """Delete the meeting (and any meeting carrying the request's marker);
        one already gone counts as deleted."""
        ids = [str(meeting["meeting_id"])] if meeting else []
        if marker:
            for host in hosts:
                found = self._find_or_fail(host, marker)
                if found and str(found["id"]) not in ids:
                    ids.append(str(found["id"]))
        gone = []
        for meeting_id in ids:
            try:
                self.client.delete(f"/meetings/{meeting_id}", schedule_for_reminder="false")
            except ZoomError as error:
                if not error.gone:
                    raise service_error(error, meeting=meeting_id) from None
                gone.append(meeting_id)
        return {"cancelled": bool(ids), "deleted": ids, "already_gone": gone}

    # -- busy times -------------------------------------------------------------

    def busy_times(self, host: HostRef, lo: datetime, hi: datetime) -> list[BusyTime]:
        """The host's upcoming meetings overlapping ``[lo, hi]``."""
        busy = []
        for m in self.upcoming(host):
            if not m.get("start_time"):
                continue  # a recurring meeting with no fixed time holds no slot
            start = parse_zoom_time(m["start_time"])
            end = start + timedelta(minutes=int(m.get("duration") or 0))
            agenda = m.get("agenda") or ""
            if start < hi and end > lo:
                busy.append(BusyTime(str(m["id"]), start, end, m.get("topic", ""),
                                     agenda.split("\n", 1)[0] if agenda.startswith("vicon:") else None))
        return busy
