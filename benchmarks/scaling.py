"""Throughput of gunicorn with 1, 2 and 4 workers on one PostgreSQL database.

Each client cycle is what the officials do all day: an agency submits a request,
the Kadis, the Kabid and the Subkoordinator each open their inbox and pass the
request down (step 4's schedule check runs inside the last command). The
clients run in separate processes so the load generator is not one GIL.
"""
from __future__ import annotations

import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from .fixtures import LANE_USERS, answers_for, request_at
from .http import BASE, PASSWORD, ROOT, _free_port
from .postgres import bench_postgres

WARM_UP_SECONDS = 4.0


class Gunicorn:
    """``gunicorn -c python:api.entrypoints.gunicorn_conf`` with ``workers`` processes."""

    def __init__(self, database_url: str, workers: int, tmpdir: Path):
        self.port = _free_port()
        env = dict(os.environ, VICON_PORT=str(self.port), VICON_BIND="127.0.0.1", VICON_WORKERS=str(workers),
                   VICON_ENV="demo", VICON_DEMO_PASSWORD=PASSWORD, VICON_DATABASE_URL=database_url,
                   VICON_OUTBOX_DIR=str(tmpdir / "outbox"), VICON_LOG_FORMAT="text")
        self.log = open(tmpdir / f"gunicorn-{workers}.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:api.entrypoints.gunicorn_conf",
                                      "api.app:create_app()"], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait(workers)

    def _wait(self, workers: int) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/readyz", timeout=10).status_code == 200:
                    time.sleep(0.5 * workers)  # every worker process has booted
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        """Stop gunicorn and its workers."""
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.log.close()


def _token(http: requests.Session, url: str, username: str) -> str:
    answer = http.post(url + "/auth/token", json={"username": username, "password": PASSWORD})
    answer.raise_for_status()
    return answer.json()["access_token"]


def _client(args) -> tuple[int, int]:
    """One client process: cycles through a warm-up (every gunicorn worker
    booted and warm), then counts (requests, failed requests) for ``seconds``."""
    url, seconds, seed = args
    rng = random.Random(seed)
    http = requests.Session()
    tokens = {lane: _token(http, url, user) for lane, user in LANE_USERS.items()}
    done = failed = 0
    measured_from = time.monotonic() + WARM_UP_SECONDS
    deadline = measured_from + seconds

    def call(method, path, lane, **kwargs):
        nonlocal done, failed
        answer = http.request(method, url + path, headers={"Authorization": f"Bearer {tokens[lane]}"},
                              timeout=30, **kwargs)
        if time.monotonic() >= measured_from:
            done += 1
            failed += answer.status_code >= 500
        return answer.json() if answer.ok else {"tasks": []}

    while time.monotonic() < deadline:
        start = datetime.now(timezone.utc) + timedelta(days=3, minutes=rng.randrange(0, 60 * 24 * 60, 15))
        tasks = call("POST", "/process-definitions/zoom_meeting_request/instances", "OPD",
                     json={"data": request_at(start)}).get("tasks", [])
        while tasks and tasks[0]["lane"] != "Staf":
            task = tasks[0]
            call("GET", "/tasks", task["lane"])
            tasks = call("POST", f"/tasks/{task['id']}/complete", task["lane"],
                         json={"data": answers_for(task["name"])}).get("tasks", [])
    return done, failed


def _reset(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def throughput(database_url: str, workers: int, clients: int, seconds: float) -> tuple[float, int]:
    """Requests per second served by ``workers`` gunicorn processes, and the 5xx count."""
    _reset(database_url)
    with tempfile.TemporaryDirectory() as tmp:
        server = Gunicorn(database_url, workers, Path(tmp))
        try:
            with multiprocessing.get_context("spawn").Pool(clients) as pool:
                results = pool.map(_client, [(server.url + BASE, seconds, i) for i in range(clients)])
        finally:
            server.stop()
    return sum(done for done, _ in results) / seconds, sum(failed for _, failed in results)


def report() -> None:
    """Print throughput for 1, 2 and 4 workers and the scaling ratios."""
    seconds = float(os.environ.get("VICON_BENCH_SCALING_SECONDS", "10"))
    clients = int(os.environ.get("VICON_BENCH_SCALING_CLIENTS", "8"))
    with bench_postgres() as database_url:
        if database_url is None:
            print("gunicorn scaling: skipped (no PostgreSQL: set VICON_BENCH_DATABASE_URL or install postgresql)")
            return
        rates = {}
        for workers in (1, 2, 4):
            rates[workers], errors = throughput(database_url, workers, clients, seconds)
            print(f"gunicorn {workers} worker(s), PostgreSQL, {clients} clients: {rates[workers]:7.1f} requests/s"
                  f"  ({errors} server errors)")
    print(f"  scaling: 2 workers {rates[2] / rates[1]:.2f}x, 4 workers {rates[4] / rates[1]:.2f}x"
          f" on {os.cpu_count()} cores (target >= 3x at 4 workers on a 4-core machine)")
