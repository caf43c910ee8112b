"""The processes `make run` and `make worker` start: they come up, serve, and
stop cleanly on SIGTERM."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from api.config import PROJECT_ROOT

START_SECONDS = 60
STOP_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VICON_")}
    env.update(VICON_DATABASE_URL=f"sqlite:///{tmp_path}/vicon.sqlite",
               VICON_OUTBOX_DIR=str(tmp_path / "outbox"),
               **extra)
    return env


def spawn(args, env, log):
    return subprocess.Popen(args, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(predicate, process, seconds=START_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the process exited early"
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def stop(process) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=STOP_SECONDS)


def fetch(url, body=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, json.load(response)


def answers(url):
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def test_serve_runs_the_demo_and_stops_on_sigterm(tmp_path):
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        process = spawn([sys.executable, "-m", "api.entrypoints.serve"],
                        environment(tmp_path, VICON_PORT=str(port),
                                    VICON_DEMO_PASSWORD="pw-serve"), log)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(lambda: answers(f"{base}/healthz"), process)
            status, token = fetch(f"{base}/api/v1/auth/token",
                                  {"username": "opd.dinkes", "password": "pw-serve"})
            assert status == 200 and token["token_type"] == "Bearer"
        finally:
            code = stop(process)
    output = log_path.read_text()
    assert code == 0, output
    assert "worker serve polling" in output and "vicon stopped" in output
    assert "pw-serve" not in output


@pytest.mark.parametrize("args", [
    [sys.executable, "-m", "api.entrypoints.worker"],
    [sys.executable, "-m", "flask", "--app", "api.app", "vicon-worker"],
])
def test_the_worker_alone_stops_on_sigterm(tmp_path, args):
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = spawn(args, environment(tmp_path, VICON_ENV="test"), log)
        try:
            wait_for(lambda: "polling" in log_path.read_text(), process)
        finally:
            code = stop(process)
    output = log_path.read_text()
    assert code == 0, output
    assert "stopped" in output
