"""A small client of Zoom's REST API v2 with Server-to-Server OAuth.

Retries, and why inside the client: a short wait (a per-second 429, a 5xx
blip, a lost connection) is retried here with exponential backoff and jitter,
up to ``max_tries``, so a blip costs a second and not a worker backoff. A
longer wait (a ``Retry-After`` beyond ``max_wait_seconds``, tries used up)
leaves as a transient ZoomError carrying ``retry_after``: the worker's job
backoff takes over, and its last attempt becomes an incident an admin can
retry. A POST that may have reached Zoom (read timeout, 5xx) is never
repeated here: it leaves as ``ambiguous``, so the caller looks for the
meeting before creating it again.

Credentials and tokens are never logged or put into error messages.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import requests

from engine.services.zoom_errors import ZoomError

log = logging.getLogger("vicon.zoom")


class TokenCache:
    """One access token per client, renewed shortly before it expires."""

    def __init__(self, settings, http, monotonic=time.monotonic):
        self.settings, self.http, self.monotonic = settings, http, monotonic
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def get(self) -> str:
        """A valid access token (fetched when missing or about to expire)."""
        with self._lock:
            if self._token is None or self.monotonic() >= self._expires_at:
                self._token, lifetime = self._fetch()
                self._expires_at = self.monotonic() + max(lifetime - self.settings.token_margin_seconds,
                                                          lifetime / 2)
            return self._token

    def invalidate(self) -> None:
        """Forget the token (Zoom said it is no longer valid)."""
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[str, float]:
        s = self.settings
        try:
            response = self.http.post(s.oauth_url, auth=(s.client_id, s.client_secret),
                                      data={"grant_type": "account_credentials", "account_id": s.account_id},
                                      timeout=s.timeout_seconds)
        except requests.Timeout:
            raise ZoomError(0, None, _seconds(s.timeout_seconds), transient=True, kind="timeout") from None
        except requests.RequestException:
            raise ZoomError(0, None, "token", transient=True, kind="unreachable") from None
        if response.status_code >= 500:
            raise ZoomError(response.status_code, None, "token", transient=True)
        body = _json(response)
        if response.status_code != 200 or not body.get("access_token"):
            raise ZoomError(response.status_code, body.get("code"), str(body.get("reason") or body.get("error")
                                                                          or "token refused"),
                            kind="credentials")
        return body["access_token"], float(body.get("expires_in") or 3600)


class ZoomClient:
    """Calls ``settings.base_url`` with a bearer token; see the module doc for retries."""

    def __init__(self, settings, http=None, *, sleep=time.sleep, wall_clock=time.time,
                 monotonic=time.monotonic, rng=None):
        self.settings = settings
        self.http = http or requests.Session()
        self.tokens = TokenCache(settings, self.http, monotonic)
        self.sleep, self.wall_clock = sleep, wall_clock
        self.rng = rng or random.Random()

    def get(self, path: str, **params) -> dict:
        """GET ``path`` with query ``params``."""
        return self.call("GET", path, params=params)

    def post(self, path: str, body: dict) -> dict:
        """POST a JSON ``body``."""
        return self.call("POST", path, body=body)

    def patch(self, path: str, body: dict) -> dict:
        """PATCH a JSON ``body``."""
        return self.call("PATCH", path, body=body)

    def delete(self, path: str, **params) -> dict:
        """DELETE ``path``."""
        return self.call("DELETE", path, params=params)

    def call(self, method: str, path: str, *, params=None, body=None) -> dict:
        """One API call with the retries described above; the JSON answer ({} when empty)."""
        tries, refreshed = 0, False
        while True:
            tries += 1
            try:
                return self._send(method, path, params, body)
            except ZoomError as error:
                if error.status == 401 and error.kind != "credentials" and not refreshed:
                    self.tokens.invalidate()  # expired or revoked: one fresh token, one more try
                    refreshed, tries = True, tries - 1
                    continue
                wait = self._wait(error, tries)
                if wait is None:
                    raise
                log.info("zoom %s %s failed (%s); retrying in %.1f s", method, path, error.status, wait)
                self.sleep(wait)

    def _send(self, method, path, params, body) -> dict:
        headers = {"Authorization": f"Bearer {self.tokens.get()}"}
        url = self.settings.base_url.rstrip("/") + path
        try:
            response = self.http.request(method, url, params=params or None, json=body, headers=headers,
                                         timeout=self.settings.timeout_seconds)
        except requests.ConnectTimeout:
            raise ZoomError(0, None, _seconds(self.settings.timeout_seconds), transient=True,
                            kind="timeout") from None
        except requests.Timeout:  # sent, no answer: a create may have happened
            raise ZoomError(0, None, _seconds(self.settings.timeout_seconds), transient=True,
                            ambiguous=method == "POST", kind="timeout") from None
        except requests.RequestException:
            raise ZoomError(0, None, "connection", transient=True, ambiguous=method == "POST",
                            kind="unreachable") from None
        if response.status_code < 400:
            return _json(response) if response.content else {}
        raise self._error(method, response)

    def _error(self, method: str, response) -> ZoomError:
        status, body = response.status_code, _json(response)
        code, detail = body.get("code"), str(body.get("message") or response.reason or "")
        if body.get("errors"):
            detail += " " + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in body["errors"])
        if status == 429:
            daily = "daily" in detail.lower() or response.headers.get("X-RateLimit-Type", "").lower() == "daily-limit"
            return ZoomError(status, code, detail, transient=True, daily=daily,
                             retry_after=retry_after(response.headers.get("Retry-After"), self.wall_clock()))
        if status >= 500:
            return ZoomError(status, code, detail, transient=True, ambiguous=method == "POST")
        return ZoomError(status, code, detail)

    def _wait(self, error: ZoomError, tries: int) -> float | None:
        """Seconds to wait before the next try, or None to give up here."""
        s = self.settings
        if not error.transient or error.daily or error.ambiguous or tries >= s.max_tries:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= s.max_wait_seconds else None
        delay = s.backoff_seconds * 2 ** (tries - 1)
        return min(delay * (1 + self.rng.random() * 0.5), s.max_wait_seconds)


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds from ``now`` that a ``Retry-After`` header asks for: a number of
    seconds, an HTTP date, or (as Zoom sends for daily limits) an ISO date-time."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - now)


def _json(response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _seconds(value: float) -> str:
    return f"{value:g}"
