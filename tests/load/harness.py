"""Real vicon processes on loopback for the load and fault tests: the app
(waitress via ``python -m api.entrypoints.serve`` or gunicorn), the worker, and an HTTP
client per user that signs in and keeps its connection."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "load-test-pass"
PROCESS = "zoom_meeting_request"
WITA = timezone(timedelta(hours=8))
START_SECONDS = 90  # a cold start migrates, deploys and seeds (hashing 14 passwords)
CLOSED = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}  # around the holidays: never a meeting day


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def meeting_times(count: int, first_day: int = 8):
    """``count`` distinct meeting starts a week and more ahead, Monday to
    Thursday in office hours (WITA), spread so no two share a slot."""
    day, found = date.today() + timedelta(days=first_day), []
    while len(found) < count:
        if day.weekday() < 4 and (day.month, day.day) not in CLOSED:
            found += [datetime(day.year, day.month, day.day, hour, tzinfo=WITA) for hour in (8, 10, 13)]
        day += timedelta(days=1)
    return [t.isoformat() for t in found[:count]]


class Process:
    """One vicon process (app or worker), killable, restartable."""

    def __init__(self, argv: list[str], env: dict, log: Path, port: int | None = None):
        self.argv, self.env, self.log, self.port = argv, env, log, port
        self.proc: subprocess.Popen | None = None

    def start(self, wait: bool = True) -> Process:
        """Start the process; wait until it answers ``/readyz`` (app processes)."""
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        if wait and self.port is not None:
            self.wait_ready()
        return self

    def wait_ready(self, seconds: float = START_SECONDS) -> None:
        """Until ``/readyz`` answers 200 (or the process dies: the log says why)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.argv} exited {self.proc.returncode}:\n{self.tail()}")
            try:
                if requests.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.argv} not ready in {seconds} s:\n{self.tail()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL the process group (gunicorn's master and its workers): no clean-up at all."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s (kept connections make gunicorn linger)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class Cluster:
    """The processes of one test on one database; stopped at the end."""

    def __init__(self, database_url: str, folder: Path, **env):
        self.folder = folder
        self.env = {**os.environ, "VICON_ENV": "demo", "VICON_DATABASE_URL": database_url,
                    "VICON_DEMO_PASSWORD": PASSWORD, "VICON_OUTBOX_DIR": str(folder / "outbox"),
                    "VICON_LOG_FORMAT": "text", "PYTHONUNBUFFERED": "1", **env}
        self.processes: list[Process] = []

    def _add(self, argv, env, port=None) -> Process:
        name = f"{len(self.processes)}-{Path(argv[-1]).name.replace(':', '_')}.log"
        process = Process(argv, env, self.folder / name, port)
        self.processes.append(process)
        return process

    def serve(self, **env) -> Process:
        """``python -m api.entrypoints.serve``: waitress (8 threads) with the worker in-process."""
        port = free_port()
        return self._add([sys.executable, "-m", "api.entrypoints.serve"],
                         {**self.env, "VICON_PORT": str(port), **env}, port).start()

    def gunicorn(self, workers: int = 2, **env) -> Process:
        """gunicorn with ``api/entrypoints/gunicorn_conf.py`` (no worker loop inside)."""
        port = free_port()
        # Recycling a worker (max_requests) closes the connections it keeps: no recycling
        # while a test counts errors, or a client's next request could meet a closed socket.
        return self._add([str(BIN / "gunicorn"), "-c", "python:api.entrypoints.gunicorn_conf", "--max-requests", "0",
                          "api.app:create_app()"],
                         {**self.env, "VICON_PORT": str(port), "VICON_BIND": "127.0.0.1",
                          "VICON_WORKERS": str(workers), **env}, port).start()

    def worker(self, **env) -> Process:
        """``python -m api.entrypoints.worker``: the worker loop alone."""
        return self._add([sys.executable, "-m", "api.entrypoints.worker"], {**self.env, **env}).start()

    def close(self) -> None:
        for process in reversed(self.processes):
            process.stop()


class User:
    """One official's HTTP client: signs in once, keeps its connection."""

    def __init__(self, base_url: str, username: str, timeout: float = 60):
        self.base, self.username, self.timeout = f"{base_url}/api/v1", username, timeout
        self.http = requests.Session()
        response = self.http.post(f"{self.base}/auth/token", timeout=timeout,
                                  json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, (username, response.status_code, response.text[:300])
        self.http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def resend_reads_on_closed_connections(self) -> None:
        """A kept connection the server closed just as it was reused: send a GET
        again, as a browser would; never a POST (a doubled command must show)."""
        self.http.mount("http://", HTTPAdapter(max_retries=Retry(
            total=2, connect=2, read=2, status=0, allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=False, raise_on_status=False)))

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(f"{self.base}{path}", timeout=self.timeout, **kwargs)

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        return self.http.post(f"{self.base}{path}", json=body or {}, timeout=self.timeout)

    def start_request(self, start_at: str, **data) -> requests.Response:
        """Submit a request (the agency)."""
        body = {"topic": "Rapat uji beban", "start_at": start_at, "duration_minutes": 60,
                "participants": 20, "letter_number": "400/1/UJI/2026",
                "letter_date": date.today().isoformat(), "contact_email": "uji@example.go.id", **data}
        return self.post(f"/process-definitions/{PROCESS}/instances", {"data": body})

    def ready(self, instance_id: str) -> dict:
        """The instance's ready tasks by element id."""
        response = self.get(f"/instances/{instance_id}")
        assert response.status_code == 200, response.text[:300]
        return {t["name"]: t for t in response.json()["tasks"]}

    def complete(self, task_id: str, data: dict | None = None) -> requests.Response:
        return self.post(f"/tasks/{task_id}/complete", {"data": data or {}})


def wait_for(check, seconds: float, what: str, interval: float = 0.3):
    """Poll ``check()`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(interval)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def stored_instances(engine) -> list:
    """Every instance summary in the database, page by page (as the admin sees them)."""
    found, page = [], 1
    while True:
        listed = engine.list_instances(engine.actor("admin"), page=page, per_page=100)
        found += listed.items
        if len(found) >= listed.total or not listed.items:
            return found
        page += 1
