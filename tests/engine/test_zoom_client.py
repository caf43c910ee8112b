"""The Zoom client against the fake server: OAuth token, retries, Retry-After,
passcodes, request shapes, and no secret in any log."""
import logging
import re
from email.utils import format_datetime

import pytest

from engine.services.meeting import HostRef
from engine.services.zoom_client import ZoomClient, retry_after
from engine.services.zoom_errors import ZoomError
from engine.services.zoom_provider import ZoomProvider, passcode
from tests.engine.zoom_setup import zoom, zoom_settings  # noqa: F401
from tests.shared_data import needs_shared

TOKEN = ("POST", "/oauth/token")
HOSTS = [HostRef("zoom-1", "zoom1@tarakankota.go.id"), HostRef("zoom-2", "zoom2@tarakankota.go.id")]


class Monotonic:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_the_token_is_kept_until_shortly_before_it_expires(zoom):
    tick = Monotonic()
    client = ZoomClient(zoom_settings(zoom, token_margin_seconds=300), monotonic=tick)
    for _ in range(3):
        client.get("/users", status="active")
    assert zoom.state.calls.count(TOKEN) == 1
    tick.now += 3600 - 300  # the margin before Zoom's hour runs out
    client.get("/users")
    assert zoom.state.calls.count(TOKEN) == 2


def test_a_revoked_token_is_renewed_once(zoom):
    client = ZoomClient(zoom_settings(zoom))
    client.get("/users")
    zoom.state.fail("GET", "/users", "expire_token")
    assert client.get("/users")["users"]
    assert zoom.state.calls.count(TOKEN) == 2
    zoom.state.fail("GET", "/users", "error", status=401, code=124, times=5)
    with pytest.raises(ZoomError) as failed:
        client.get("/users")
    assert failed.value.code == 124 and zoom.state.calls.count(TOKEN) == 3  # renewed once, not more


@pytest.mark.parametrize("kind", ["500", "timeout_before", "429"])
def test_short_failures_are_retried_inside_the_call(zoom, kind):
    waits = []
    client = ZoomClient(zoom_settings(zoom), sleep=waits.append)
    zoom.state.fail("GET", "/users", kind, times=2, delay=0.6, retry_after="1" if kind == "429" else None)
    assert client.get("/users")["users"]
    assert len(waits) == 2 and (waits == [1.0, 1.0] if kind == "429" else waits[1] > waits[0])


def test_a_create_that_may_have_happened_is_not_repeated_blindly(zoom):
    waits = []
    client = ZoomClient(zoom_settings(zoom), sleep=waits.append)
    zoom.state.fail("POST", r"/users/.*/meetings", "500")
    with pytest.raises(ZoomError) as failed:
        client.post("/users/zoom1@tarakankota.go.id/meetings", {"topic": "x", "type": 2})
    assert failed.value.ambiguous and waits == []


def test_retry_after_in_seconds_http_date_and_iso():
    now = 1_800_000_000.0
    assert retry_after("120", now) == 120
    from datetime import datetime, timezone
    moment = datetime.fromtimestamp(now + 90, timezone.utc)
    assert retry_after(format_datetime(moment, usegmt=True), now) == pytest.approx(90)
    assert retry_after(moment.strftime("%Y-%m-%dT%H:%M:%SZ"), now) == pytest.approx(90)
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_passcodes_meet_zooms_rules():
    for code in {passcode() for _ in range(500)}:
        assert re.fullmatch(r"[A-Za-z0-9]{8}", code) and re.search(r"\d", code)
        assert re.search(r"[a-z]", code) and re.search(r"[A-Z]", code)
        assert all(a != b for a, b in zip(code, code[1:]))


@needs_shared("contracts", "zoom-api-v2.openapi.json")
def test_the_fake_checks_bodies_against_zooms_api_description(zoom):
    client = ZoomClient(zoom_settings(zoom))
    with pytest.raises(ZoomError) as failed:
        client.post("/users/zoom1@tarakankota.go.id/meetings",
                    {"topic": "x", "start_time": "besok", "password": "too long passcode",
                     "settings": {"waiting_room": "yes", "lobby": True}})
    assert failed.value.code == 300
    for field in ("start_time", "password", "settings.waiting_room", "settings.lobby"):
        assert field in failed.value.detail


def test_no_secret_reaches_a_log(zoom, caplog):
    caplog.set_level(logging.DEBUG)
    provider = ZoomProvider(ZoomClient(zoom_settings(zoom)))
    zoom.state.fail("GET", r"/users/.*/meetings", "500")
    made = provider.create(topic="Rapat", start_at="2026-12-09T10:00:00+08:00", duration_minutes=60,
                           host_id="zoom-1", idempotency_key="k", hosts=HOSTS, marker="vicon:log-test")
    tokens = list(zoom.state.tokens)
    assert made["meeting_id"] and tokens
    for secret in [zoom.state.client_secret, *tokens, made["start_url"]]:
        assert secret not in caplog.text
