"""The sign-in limit (issue 18, finding 12): shared by every process through
the database, per username, per address and overall; behind proxies the
client's address comes from X-Forwarded-For only as far as
VICON_TRUSTED_PROXIES says."""
from __future__ import annotations

import dataclasses

import pytest

from api.app import create_app
from engine import Engine, Settings
from engine.accounts import sign_in_limit
from tests.api.accounts import PASSWORD

TOKEN = "/api/v1/auth/token"


def _try(client, username="kadis", password="wrong", address="192.0.2.1", forwarded=None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(TOKEN, json={"username": username, "password": password}, headers=headers,
                       environ_base={"REMOTE_ADDR": address}).status_code


@pytest.fixture
def second_process(app):
    """Another app with its own engine on the same database, as a second server process."""
    first = app.extensions["vicon"]
    engine = Engine(Settings(database_url=first.settings.database_url, outbox_dir=first.settings.outbox_dir),
                    clock=first.clock)
    yield create_app(app.config["VICON"], engine)
    engine.db.dispose()


def test_two_processes_count_the_same_failures(app, second_process):
    one, two = app.test_client(), second_process.test_client()
    assert [_try(c) for c in (one, two, one, two, one)] == [401] * 5
    assert _try(two, password=PASSWORD) == 429 and _try(one, password=PASSWORD) == 429


def test_the_limit_ends_after_its_window(app, clock):
    client = app.test_client()
    assert [_try(client) for _ in range(6)] == [401] * 5 + [429]
    clock.advance(minutes=16)
    assert _try(client, password=PASSWORD) == 200


def test_one_username_from_many_addresses_is_limited(app, monkeypatch):
    monkeypatch.setitem(sign_in_limit.LIMITS, "user", 4)
    client = app.test_client()
    assert [_try(client, address=f"198.51.100.{i}") for i in range(4)] == [401] * 4
    assert _try(client, password=PASSWORD, address="203.0.113.9") == 429
    assert _try(client, username="kabid", password=PASSWORD, address="203.0.113.9") == 200


def test_one_address_guessing_many_usernames_is_limited(app, monkeypatch):
    monkeypatch.setitem(sign_in_limit.LIMITS, "addr", 4)
    client = app.test_client()
    assert [_try(client, username=f"guess{i}") for i in range(4)] == [401] * 4
    assert _try(client, username="kabid", password=PASSWORD) == 429
    assert _try(client, username="kabid", password=PASSWORD, address="192.0.2.2") == 200


def test_all_failures_together_are_limited(app, monkeypatch):
    monkeypatch.setitem(sign_in_limit.LIMITS, "all", 3)
    client = app.test_client()
    assert [_try(client, username=f"u{i}", address=f"198.51.100.{i}") for i in range(3)] == [401] * 3
    assert _try(client, username="kabid", password=PASSWORD, address="203.0.113.1") == 429


def test_forwarded_addresses_count_only_behind_trusted_proxies(app):
    proxied = create_app(dataclasses.replace(app.config["VICON"], trusted_proxies=1), app.extensions["vicon"])
    client = proxied.test_client()
    for _ in range(5):
        assert _try(client, forwarded="203.0.113.7", address="10.0.0.1") == 401
    assert _try(client, password=PASSWORD, forwarded="203.0.113.7", address="10.0.0.1") == 429
    # another client behind the same proxy is not locked out
    assert _try(client, password=PASSWORD, forwarded="203.0.113.8", address="10.0.0.1") == 200


def test_without_trusted_proxies_a_forged_header_changes_nothing(app):
    client = app.test_client()
    for i in range(5):
        assert _try(client, forwarded=f"203.0.113.{i}") == 401
    assert _try(client, password=PASSWORD, forwarded="198.51.100.200") == 429
