"""A full SOP instance over the HTTP API, served as ``make run`` serves it
(``python -m api.entrypoints.serve``: waitress and the in-process worker), on a fresh
SQLite file, with the default ``manual`` meeting provider."""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from .fixtures import LANE_USERS, answers_for, request_at

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-pass"
BASE = "/api/v1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m api.entrypoints.serve`` in a subprocess on a fresh database."""

    def __init__(self, tmpdir: Path, database_url: str | None = None):
        self.port = _free_port()
        if database_url:  # a fresh schema, as the SQLite file is
            from engine.storage.db import Database
            database = Database(database_url)
            database.drop_schema()
            database.dispose()
        env = dict(os.environ, VICON_PORT=str(self.port), VICON_DEMO_PASSWORD=PASSWORD, VICON_ENV="demo",
                   VICON_DATABASE_URL=database_url or f"sqlite:///{tmpdir}/http-bench.sqlite",
                   VICON_OUTBOX_DIR=str(tmpdir / "outbox"),
                   # bsre's signature waits on BSrE in the Kadis's request: never in the command path measured
                   VICON_SIGNATURE_PROVIDER="none")
        self.log = open(tmpdir / "server.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "api.entrypoints.serve"], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        """Stop the server and wait for it."""
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


class HttpRun:
    """Drives instances through the API with one token per account."""

    def __init__(self, url: str):
        self.url = url + BASE
        self.http = requests.Session()
        self.tokens = {lane: self._token(user) for lane, user in LANE_USERS.items()}
        self.count = 0
        self.commands_ms: list[float] = []  # per fulfilled request: its commands' time only

    def _token(self, username: str) -> str:
        answer = self.http.post(self.url + "/auth/token", json={"username": username, "password": PASSWORD})
        answer.raise_for_status()
        return answer.json()["access_token"]

    def _call(self, method: str, path: str, lane: str, **kwargs) -> dict:
        answer = self.http.request(method, self.url + path,
                                   headers={"Authorization": f"Bearer {self.tokens[lane]}"}, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def one(self) -> str:
        """One instance from start to ``fulfilled``."""
        self.count += 1
        # a week ahead: on the real clock, two days ahead may fall short of the one working
        # day's notice the start form asks for (a Thursday's +2 days is a Saturday)
        start = datetime.now(timezone.utc) + timedelta(days=7, hours=3 * self.count)
        self.commands_ms.append(0.0)
        body = self._command("/process-definitions/zoom_meeting_request/instances", "OPD",
                             {"data": request_at(start)})
        instance_id, tasks = body["id"], body["tasks"]
        while True:
            if not tasks:
                state = self._call("GET", f"/instances/{instance_id}", "Kadis")
                if state["status"] != "running":
                    assert state["outcome"] == "fulfilled", state
                    return instance_id
                tasks = state["tasks"]
                if not tasks:
                    time.sleep(0.001)  # the worker is running an external task
                    continue
            task = tasks[0]
            self._await_document(task)
            body = self._command(f"/tasks/{task['id']}/complete", task["lane"],
                                 {"data": answers_for(task["name"])})
            tasks = body["tasks"]

    def _command(self, path: str, lane: str, body: dict) -> dict:
        started = time.perf_counter()
        answer = self._call("POST", path, lane, json=body)
        self.commands_ms[-1] += (time.perf_counter() - started) * 1000
        return answer

    def _await_document(self, task: dict) -> None:
        """A review waits until the worker has laid out its konsep (as its page says)."""
        if task["name"] not in ("T08_review_draft", "T09_sign_letter"):
            return
        while (self._call("GET", f"/tasks/{task['id']}", task["lane"]).get("document") or {}).get(
                "state", "ready") != "ready":
            time.sleep(0.005)


def bench_http(n: int, median_ms, database_url: str | None = None, between=None) -> float:
    """Median ms per fulfilled instance over HTTP, its commands' time only (the waits for
    the worker, which lays out the letters and sends them, apart); on a fresh SQLite file
    or on ``database_url`` (emptied first). ``between`` runs after each request, untimed
    (the raw baseline timing itself under the same load)."""
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp), database_url)
        try:
            run = HttpRun(server.url)

            def one():
                run.one()
                if between is not None:
                    between()
            median_ms(one, n)
            return statistics.median(run.commands_ms[-n:])
        finally:
            server.stop()
