"""What the fake Zoom server holds: users, meetings, tokens, daily counts and
the faults a test asked for. Every method answers ``(status, body, headers)``
as Zoom would."""
from __future__ import annotations

import itertools
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from .zoom_contract import Contract

DAILY_MESSAGE = ("You have exceeded the daily rate limit (100) of Meeting Create/Update API requests "
                 "permitted for this particular user. You may resume these requests at GMT 00:00:00.")
LIST_AGENDA_CHARS = 250


@dataclass
class Fault:
    """Make the next ``times`` calls of ``method`` on a path matching ``path`` fail.

    ``kind``: ``timeout_before`` (hang, do nothing), ``timeout_after`` (do it,
    then hang), ``500``, ``429`` (``retry_after`` seconds or a date), ``daily``
    (the per-host daily limit), ``expire_token`` (every token stops working),
    ``error`` (answer ``status`` with ``code``).
    """

    method: str
    path: str
    kind: str
    times: int = 1
    retry_after: str | None = None
    status: int = 400
    code: int | None = None
    delay: float = 1.0

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and self.method == method and re.fullmatch(self.path, path) is not None


@dataclass
class ZoomState:
    """The fake account."""

    account_id: str = "fake-account"
    client_id: str = "fake-client-id"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16), repr=False)
    token_ttl: int = 3600
    page_size: int = 30
    daily_limit: int = 100
    base: str = "http://127.0.0.1"
    contract: Contract = field(default_factory=Contract)

    def __post_init__(self):
        self.lock = threading.Lock()
        self.users: dict[str, dict] = {}
        self.meetings: dict[str, dict] = {}
        self.tokens: dict[str, float] = {}
        self.faults: list[Fault] = []
        self.calls: list[tuple[str, str]] = []
        self.daily: dict[str, int] = {}
        self.ids = itertools.count(81234567890)

    # -- set-up ---------------------------------------------------------------------

    def add_user(self, email: str, name: str = "", *, can_host: bool = True, user_type: int = 2) -> dict:
        """A licensed user (``can_host=False``: Zoom answers 3161 on create)."""
        with self.lock:
            user = {"id": uuid.uuid4().hex[:22], "email": email, "first_name": name or email.split("@")[0],
                    "last_name": "", "type": user_type, "status": "active", "timezone": "Asia/Singapore",
                    "can_host": can_host}
            self.users[user["id"]] = user
            return user

    def fail(self, method: str, path: str, kind: str, **options) -> Fault:
        """Queue a fault (see Fault)."""
        fault = Fault(method, path, kind, **options)
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first armed fault for this call, used up by one."""
        with self.lock:
            self.calls.append((method, path))
            for fault in self.faults:
                if fault.matches(method, path):
                    fault.times -= 1
                    if fault.kind == "expire_token":
                        self.tokens.clear()
                    return fault
        return None

    # -- tokens -------------------------------------------------------------------

    def issue_token(self, basic: tuple[str, str] | None, form: dict, query: dict):
        """``POST /oauth/token`` (credentials in the body, Basic auth)."""
        if query:
            return 400, {"reason": "Parameters must be sent in the request body", "error": "invalid_request"}, {}
        if basic != (self.client_id, self.client_secret):
            return 401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}, {}
        if form.get("grant_type") != "account_credentials":
            return 400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}, {}
        if form.get("account_id") != self.account_id:
            return 400, {"reason": "Invalid account_id", "error": "invalid_request"}, {}
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_ttl
        return 200, {"access_token": token, "token_type": "bearer", "expires_in": self.token_ttl,
                     "scope": "meeting:read:admin meeting:write:admin user:read:admin"}, {}

    def token_ok(self, token: str | None) -> bool:
        with self.lock:
            return token is not None and self.tokens.get(token, 0) > time.monotonic()

    # -- users and meetings ---------------------------------------------------------------

    def user(self, key: str) -> dict | None:
        """A user by id or e-mail."""
        with self.lock:
            return next((u for u in self.users.values() if key in (u["id"], u["email"])), None)

    def list_users(self, query: dict):
        users = [{k: v for k, v in u.items() if k != "can_host"} for u in self.users.values()
                 if u["status"] == query.get("status", "active")]
        return 200, {"page_count": 1, "page_number": 1, "page_size": len(users),
                     "total_records": len(users), "users": users}, {}

    def _count_daily(self, user_id: str) -> bool:
        day = datetime.now(timezone.utc).date().isoformat()
        key = f"{user_id}:{day}"
        with self.lock:
            if self.daily.get(key, 0) >= self.daily_limit:
                return False
            self.daily[key] = self.daily.get(key, 0) + 1
            return True

    def create_meeting(self, user_key: str, body):
        user = self.user(user_key)
        if user is None:
            return 404, {"code": 1001, "message": f"User {user_key} not exist or not belong to this account."}, {}
        problems = self.contract.problems("create", body)
        if problems:
            return 400, {"code": 300, "message": "Validation Failed.", "errors": problems}, {}
        if not user["can_host"]:
            return 400, {"code": 3161, "message": "Meeting hosting and scheduling capabilities are not "
                                                  "allowed for your user account."}, {}
        if not self._count_daily(user["id"]):
            return 429, {"code": 429, "message": DAILY_MESSAGE}, {"X-RateLimit-Type": "Daily-limit"}
        meeting_id = str(next(self.ids))
        password = body.get("password") or secrets.token_hex(3)
        meeting = {"uuid": secrets.token_urlsafe(16), "id": int(meeting_id), "host_id": user["id"],
                   "host_email": user["email"], "topic": body.get("topic", "Zoom Meeting"),
                   "type": body.get("type", 2), "status": "waiting", "start_time": _utc(body),
                   "duration": body.get("duration", 60), "timezone": body.get("timezone", "UTC"),
                   "agenda": body.get("agenda", ""), "created_at": _now(), "password": password,
                   "join_url": f"{self.base}/j/{meeting_id}?pwd={secrets.token_urlsafe(12)}",
                   "start_url": f"{self.base}/s/{meeting_id}?zak={secrets.token_urlsafe(24)}",
                   "settings": dict(body.get("settings") or {})}
        with self.lock:
            self.meetings[meeting_id] = meeting
        return 201, meeting, {}

    def list_meetings(self, user_key: str, query: dict):
        user = self.user(user_key)
        if user is None:
            return 404, {"code": 1001, "message": f"User {user_key} not exist or not belong to this account."}, {}
        size = min(int(query.get("page_size", self.page_size)), 300)
        with self.lock:
            mine = sorted((m for m in self.meetings.values() if m["host_id"] == user["id"]),
                          key=lambda m: m["id"])
        offset = int(query.get("next_page_token") or 0)
        page = mine[offset:offset + size]
        token = str(offset + size) if offset + size < len(mine) else ""
        items = [{k: m[k] for k in ("uuid", "id", "host_id", "topic", "type", "start_time", "duration",
                                    "timezone", "created_at", "join_url")}
                 | {"agenda": m["agenda"][:LIST_AGENDA_CHARS]} for m in page]
        return 200, {"page_size": size, "total_records": len(mine), "next_page_token": token,
                     "meetings": items}, {}

    def get_meeting(self, meeting_id: str):
        with self.lock:
            meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return 404, {"code": 3001, "message": f"Meeting {meeting_id} is not found or has expired."}, {}
        return 200, dict(meeting), {}

    def update_meeting(self, meeting_id: str, body):
        status, meeting, _ = self.get_meeting(meeting_id)
        if status != 200:
            return status, meeting, {}
        problems = self.contract.problems("update", body)
        if problems:
            return 400, {"code": 300, "message": "Validation Failed.", "errors": problems}, {}
        if not self._count_daily(meeting["host_id"]):
            return 429, {"code": 429, "message": DAILY_MESSAGE}, {"X-RateLimit-Type": "Daily-limit"}
        with self.lock:
            self.meetings[meeting_id].update({k: v for k, v in body.items() if k != "settings"})
            self.meetings[meeting_id]["start_time"] = _utc(self.meetings[meeting_id])
        return 204, None, {}

    def delete_meeting(self, meeting_id: str):
        with self.lock:
            meeting = self.meetings.pop(meeting_id, None)
        if meeting is None:
            return 404, {"code": 3001, "message": f"Meeting {meeting_id} is not found or has expired."}, {}
        return 204, None, {}

    def with_marker(self, marker: str) -> list[dict]:
        """Meetings whose agenda carries ``marker`` (for assertions)."""
        with self.lock:
            return [m for m in self.meetings.values() if marker in m["agenda"]]


def _utc(body: dict) -> str | None:
    """``start_time`` as Zoom answers it: UTC with ``Z`` (a local time is read in ``timezone``)."""
    value = body.get("start_time")
    if not value or value.endswith("Z"):
        return value
    local = datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(body.get("timezone") or "UTC"))
    return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
