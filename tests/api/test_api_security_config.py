"""Safe defaults (issue 18, finding 7): no signing key from the repository is
ever used; demo and test make a random private key in the instance folder,
production needs its own key and its public URL."""
from __future__ import annotations

import dataclasses
import os
import stat
from concurrent.futures import ProcessPoolExecutor

import pytest
from itsdangerous import URLSafeTimedSerializer

from api import config as config_module
from api.app import create_app
from api.config import DEV_SECRET_KEY, Config, ConfigError, instance_secret_key
from api.tokens import SALT, ClockSigner
from tests.api.accounts import SECRET


def test_a_token_signed_with_the_published_key_is_refused(app, tmp_path, monkeypatch):
    monkeypatch.setattr(config_module, "INSTANCE_DIR", tmp_path / "instance")
    demo = create_app(dataclasses.replace(Config.from_env({}), database_url=app.config["VICON"].database_url),
                      app.extensions["vicon"])
    clock = app.extensions["vicon"].clock

    def token(key):
        serializer = URLSafeTimedSerializer(key, salt=SALT, signer=ClockSigner, signer_kwargs={"clock": clock})
        return serializer.dumps(["admin", 0])

    def status(key):
        return demo.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token(key)}"}).status_code
    assert status(DEV_SECRET_KEY) == 401
    assert status(demo.config["SECRET_KEY"]) == 200


@pytest.mark.parametrize("env", ["demo", "test", "production"])
def test_the_published_key_is_refused_in_every_environment(env):
    with pytest.raises(ConfigError, match="VICON_SECRET_KEY"):
        Config.from_env({"VICON_ENV": env, "VICON_SECRET_KEY": DEV_SECRET_KEY,
                         "VICON_PUBLIC_URL": "https://vicon.example.go.id"})


def test_production_needs_a_key_and_a_public_url():
    with pytest.raises(ConfigError, match="VICON_SECRET_KEY"):
        Config.from_env({"VICON_ENV": "production", "VICON_PUBLIC_URL": "https://vicon.example.go.id"})
    with pytest.raises(ConfigError, match="VICON_PUBLIC_URL"):
        Config.from_env({"VICON_ENV": "production", "VICON_SECRET_KEY": SECRET})
    with pytest.raises(ConfigError, match="VICON_SECRET_KEY"):
        create_app(Config(env="production", public_url="https://vicon.example.go.id"), engine=object())


def test_demo_without_a_key_makes_a_random_private_one(tmp_path, monkeypatch):
    monkeypatch.setattr(config_module, "INSTANCE_DIR", tmp_path / "instance")
    first = Config.from_env({})
    again = Config.from_env({"VICON_ENV": "test"})
    assert first.secret_key == again.secret_key != DEV_SECRET_KEY and len(first.secret_key) >= 32
    key_file = tmp_path / "instance" / config_module.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert os.listdir(tmp_path / "instance") == [config_module.KEY_FILE]  # no temporary left
    assert first.base_url == "http://127.0.0.1:5000" and not first.https


def test_processes_starting_together_agree_on_the_key(tmp_path):
    folder = tmp_path / "instance"
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(instance_secret_key, [folder] * 16))
    assert len(keys) == 1 and keys == {instance_secret_key(folder)}
