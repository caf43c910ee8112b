"""Production start-up: demo accounts refused, the first admin created from a
prompt, readiness checking the database, JSON logs without secrets, gunicorn's
configuration read from VICON_*."""
from __future__ import annotations

import importlib
import json
import logging

import pytest

from api import logs
from api.app import create_app
from api.bootstrap import build_engine
from api.config import Config, ConfigError
from engine import Engine, Settings
from tests.api.accounts import SECRET

ADMIN_PASSWORD = "correct horse battery"


def _config(tmp_path, env="production", **overrides):
    return Config(env=env, database_url=f"sqlite:///{tmp_path}/vicon.sqlite", secret_key=SECRET,
                  outbox_dir=tmp_path / "outbox", public_url="https://vicon.example.go.id", **overrides)


def test_production_refuses_a_database_with_demo_accounts(tmp_path):
    build_engine(_config(tmp_path, env="demo")).close()
    with pytest.raises(ConfigError, match="demo accounts"):
        build_engine(_config(tmp_path))


def test_production_starts_on_a_fresh_database_and_creates_the_first_admin(tmp_path):
    app = create_app(_config(tmp_path))
    engine = app.extensions["vicon"]
    result = app.test_cli_runner().invoke(args=["vicon-create-admin", "root.admin"],
                                          input=ADMIN_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert ADMIN_PASSWORD not in result.output
    assert engine.authenticate("root.admin", ADMIN_PASSWORD).roles == frozenset({"admin"})
    assert engine.demo_accounts() == []
    engine.close()


def test_an_admin_named_admin_is_not_taken_for_the_demo_account(tmp_path):
    engine = build_engine(_config(tmp_path))
    engine.create_admin("admin", ADMIN_PASSWORD, "Administrator")
    engine.close()
    build_engine(_config(tmp_path)).close()  # starts


@pytest.mark.parametrize("username, password, message", [
    ("root.admin", "short", "password"),
    ("Root Admin!", ADMIN_PASSWORD, "username"),
])
def test_create_admin_refuses_weak_input(tmp_path, username, password, message):
    app = create_app(_config(tmp_path))
    result = app.test_cli_runner().invoke(args=["vicon-create-admin", username],
                                          input=password + "\n")
    assert result.exit_code != 0 and message in result.output
    app.extensions["vicon"].close()


def test_create_admin_never_resets_an_existing_account(tmp_path):
    app = create_app(_config(tmp_path))
    runner = app.test_cli_runner()
    runner.invoke(args=["vicon-create-admin", "root.admin"], input=ADMIN_PASSWORD + "\n")
    result = runner.invoke(args=["vicon-create-admin", "root.admin"], input="another password!\n")
    assert result.exit_code != 0 and "exists" in result.output
    assert app.extensions["vicon"].authenticate("root.admin", ADMIN_PASSWORD) is not None
    app.extensions["vicon"].close()


def test_readyz_answers_200_while_the_database_answers(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok"}


def test_readyz_answers_503_when_the_database_is_down(tmp_path):
    # Nothing listens on port 1 of the loopback: connections are refused at once.
    url = "postgresql+psycopg://vicon@127.0.0.1:1/vicon?connect_timeout=2"
    engine = Engine(Settings(database_url=url, outbox_dir=tmp_path / "outbox"))
    app = create_app(Config(env="test", database_url=url, secret_key=SECRET), engine)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "down"}
    assert app.test_client().get("/healthz").status_code == 200
    engine.close()


def _record(message, *args):
    return logging.LogRecord("vicon", logging.INFO, __file__, 1, message, args, None)


def test_json_logs_are_one_object_a_line_without_secrets():
    line = logs.JsonFormatter().format(_record("meeting %s created, passcode=%s token: %s",
                                               "812 3456", "aB3dE9", "tok-123"))
    entry = json.loads(line)
    assert "\n" not in line and entry["level"] == "INFO" and entry["logger"] == "vicon"
    assert "aB3dE9" not in line and "tok-123" not in line and "812 3456" in entry["message"]


@pytest.mark.parametrize("text, secret", [
    ('{"password": "hunter2"}', "hunter2"), ("Authorization: Bearer abc.def", "abc.def"),
    ("GET /x?token=abc&y=1", "abc"), ("client_secret=zz9", "zz9"), ("passcode: 91a2", "91a2"),
])
def test_redaction_masks_secret_values(text, secret):
    assert secret not in logs.redact(text) and "***" in logs.redact(text)


def test_text_logs_redact_exceptions_too():
    try:
        raise RuntimeError("login failed, password=hunter2")
    except RuntimeError:
        import sys
        record = _record("failed")
        record.exc_info = sys.exc_info()
    assert "hunter2" not in logs.TextFormatter().format(record)


def test_log_format_defaults_to_json_in_production_only():
    production = {"VICON_ENV": "production", "VICON_SECRET_KEY": SECRET,
                  "VICON_PUBLIC_URL": "https://vicon.example.go.id"}
    assert Config.from_env(production).log_format == "json"
    assert Config.from_env({}).log_format == "text"
    assert Config.from_env({**production, "VICON_LOG_FORMAT": "text"}).log_format == "text"
    with pytest.raises(ConfigError):
        Config.from_env({"VICON_WORKERS": "0"})


def test_gunicorn_configuration_reads_the_environment(monkeypatch):
    monkeypatch.setenv("VICON_BIND", "0.0.0.0")
    monkeypatch.setenv("VICON_PORT", "8123")
    monkeypatch.setenv("VICON_WORKERS", "3")
    module = importlib.import_module("api.entrypoints.gunicorn_conf")
    module = importlib.reload(module)
    assert (module.bind, module.workers) == ("0.0.0.0:8123", 3)
    assert "%(U)s" in module.access_log_format and "%(r)s" not in module.access_log_format
    assert "%(q)s" not in module.access_log_format
