"""Configuration: read from VICON_* only, unsafe set-ups refused."""
from pathlib import Path

import pytest

from api.app import create_app
from api.bootstrap import build_engine
from api.config import DEV_SECRET_KEY, PROJECT_ROOT, Config, ConfigError


def test_defaults_give_a_working_demo():
    config = Config.from_env({})
    assert (config.env, config.port, config.demo_password, config.meeting_provider) == \
        ("demo", 5000, "vicon-demo", "manual")
    assert config.database_url == f"sqlite:///{PROJECT_ROOT / 'instance' / 'vicon.sqlite'}"
    assert config.outbox_dir == PROJECT_ROOT / "instance" / "outbox"
    settings = config.engine_settings()
    assert settings.demo and settings.database_url == config.database_url
    assert settings.outbox_dir == config.outbox_dir


def test_every_variable_is_read():
    env = {"VICON_ENV": "production", "VICON_PORT": "8080",
           "VICON_DATABASE_URL": "postgresql+psycopg://db/vicon",
           "VICON_SECRET_KEY": "s" * 32, "VICON_DEMO_PASSWORD": "pw",
           "VICON_MEETING_PROVIDER": "zoom", "VICON_OUTBOX_DIR": "/tmp/outbox",
           "VICON_ZOOM_ACCOUNT_ID": "acc", "VICON_ZOOM_CLIENT_ID": "cid",
           "VICON_ZOOM_CLIENT_SECRET": "zsecret", "VICON_ZOOM_BASE_URL": "http://127.0.0.1:9/v2",
           "VICON_ZOOM_OAUTH_URL": "http://127.0.0.1:9/oauth/token", "VICON_SMTP_HOST": "127.0.0.1",
           "VICON_SMTP_PORT": "2525", "VICON_SMTP_USER": "u", "VICON_SMTP_PASSWORD": "smtp-secret",
           "VICON_SMTP_SECURITY": "none", "VICON_MAIL_FROM": "noreply@tarakankota.go.id",
           "VICON_PUBLIC_URL": "https://vicon.tarakankota.go.id/"}
    config = Config.from_env(env)
    assert (config.env, config.port, config.meeting_provider, config.outbox_dir) == \
        ("production", 8080, "zoom", Path("/tmp/outbox"))
    assert config.base_url == "https://vicon.tarakankota.go.id" and config.https
    assert (config.zoom.client_secret, config.zoom.base_url) == ("zsecret", "http://127.0.0.1:9/v2")
    assert (config.smtp.host, config.smtp.port, config.smtp.security, config.smtp.mail_from) == \
        ("127.0.0.1", 2525, "none", "noreply@tarakankota.go.id")
    settings = config.engine_settings()
    assert not settings.demo and settings.meeting_provider == "zoom"
    assert settings.extra["smtp"].password == "smtp-secret"
    for secret in ("zsecret", "smtp-secret", "s" * 32, "'pw'"):
        assert secret not in repr(config)


@pytest.mark.parametrize("env, words", [
    ({"VICON_ENV": "production"}, "VICON_SECRET_KEY"),
    ({"VICON_ENV": "production", "VICON_SECRET_KEY": DEV_SECRET_KEY}, "VICON_SECRET_KEY"),
    ({"VICON_ENV": "staging"}, "VICON_ENV"),
    ({"VICON_PORT": "http"}, "VICON_PORT"),
    ({"VICON_PORT": "70000"}, "VICON_PORT"),
    ({"VICON_MEETING_PROVIDER": "teams"}, "VICON_MEETING_PROVIDER"),
    ({"VICON_SMTP_SECURITY": "tls1"}, "VICON_SMTP_SECURITY"),
    ({"VICON_SECRET_KEY": "short"}, "VICON_SECRET_KEY"),
])
def test_unsafe_or_wrong_settings_are_refused(env, words):
    with pytest.raises(ConfigError, match=words):
        Config.from_env(env)


def test_the_app_refuses_the_development_key_in_production():
    with pytest.raises(ConfigError):
        create_app(Config(env="production"), engine=object())


def test_production_seeds_no_demo_accounts(tmp_path):
    production = Config(env="production", secret_key="x" * 32, public_url="https://vicon.example.go.id",
                        database_url=f"sqlite:///{tmp_path}/p.sqlite",
                        outbox_dir=tmp_path / "outbox")
    engine = build_engine(production)
    try:
        assert engine.actor("kadis") is None and engine.process_definitions is not None
    finally:
        engine.db.dispose()
    demo = Config(env="demo", demo_password="pw-demo",
                  database_url=f"sqlite:///{tmp_path}/d.sqlite",
                  outbox_dir=tmp_path / "outbox")
    engine = build_engine(demo)
    try:
        assert engine.authenticate("opd.dinkes", "pw-demo").agency_code == "dinkes"
    finally:
        engine.db.dispose()
