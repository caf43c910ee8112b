"""The database restarting under load: while PostgreSQL is down every request
fails cleanly (503, JSON, Retry-After; never a 500 or a dropped connection),
and once it is back the same processes serve again and nothing acknowledged
is lost."""
from __future__ import annotations

import os
import shlex
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.load.harness import User, meeting_times, stored_instances, wait_for

CLIENTS = 8
DOWN_SECONDS = 4


class Server:
    """The test PostgreSQL server, stopped and started again with the options it runs with."""

    def __init__(self):
        self.bin, self.data = os.environ["VICON_TEST_PGBIN"], Path(os.environ["VICON_TEST_PGDATA"])
        words = shlex.split((self.data / "postmaster.opts").read_text())[1:]
        options = [w for i, w in enumerate(words) if w != "-D" and (i == 0 or words[i - 1] != "-D")]
        self.options = shlex.join(options)

    def _pg_ctl(self, args: str) -> None:
        command = f"{self.bin}/pg_ctl -D {self.data} -w {args}"
        owner = os.environ.get("VICON_TEST_PGUSER_OS")
        argv = ["su", owner, "-s", "/bin/sh", "-c", command] if owner and os.getuid() == 0 else ["sh", "-c", command]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    def stop(self) -> None:
        self._pg_ctl("-m fast stop")

    def start(self) -> None:
        # its output to the log file: a server writing to our pipe would keep it open
        self._pg_ctl(f"-l {self.data / 'server.log'} -o {shlex.quote(self.options)} start")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture
def restartable(load_database):
    if load_database.startswith("sqlite"):
        pytest.skip("needs a PostgreSQL server the test can restart (VICON_TEST_DATABASE_URL; "
                    "SQLite is a file inside the app process, it has no server to restart)")
    if not (os.environ.get("VICON_TEST_PGDATA") and os.environ.get("VICON_TEST_PGBIN")):
        pytest.skip("needs VICON_TEST_PGDATA and VICON_TEST_PGBIN to restart the PostgreSQL server "
                    "(.ci/run exports them)")
    server = Server()
    yield server
    if not server.running():  # the tests after this one need it
        server.start()


def client(user: User, times: list[str], log: list, lock: threading.Lock, stop: threading.Event) -> None:
    """Read the inbox and the list, submit now and then; log (time, label, status or error)."""
    for round_ in range(100_000):
        if stop.is_set():
            return
        calls = [("tasks", lambda: user.get("/tasks")), ("instances", lambda: user.get("/instances"))]
        if user.username.startswith("opd.") and round_ % 3 == 0:
            calls.append(("start", lambda: user.start_request(times.pop())))
        for label, send in calls:
            try:
                response = send()
                entry = (time.monotonic(), label, response.status_code, response)
            except requests.RequestException as exc:
                entry = (time.monotonic(), label, type(exc).__name__, None)
            with lock:
                log.append(entry)
        time.sleep(0.05)


def test_requests_fail_cleanly_while_the_database_restarts_and_recover(restartable, cluster, inspector):
    app = cluster.gunicorn(workers=2)
    cluster.worker()
    users = [User(app.url, name) for name in ("opd.dinkes", "opd.disdik", "kadis", "staf") * (CLIENTS // 4)]
    log, lock, stop, times = [], threading.Lock(), threading.Event(), meeting_times(2000)
    threads = [threading.Thread(target=client, args=(u, times, log, lock, stop)) for u in users]
    for thread in threads:
        thread.start()
    time.sleep(3)
    down_at = time.monotonic()
    restartable.stop()
    time.sleep(1)
    ready_down = requests.get(f"{app.url}/readyz", timeout=10).status_code
    time.sleep(DOWN_SECONDS - 1)
    restartable.start()
    up_at = time.monotonic()
    wait_for(lambda: requests.get(f"{app.url}/readyz", timeout=10).status_code == 200, 30, "ready again")
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    statuses = [entry[2] for entry in log]
    unavailable = [entry for entry in log if entry[2] == 503]
    print(f"\ndatabase restart under load: {len(log)} requests, {len(unavailable)} answered 503 "
          f"while it was down ({up_at - down_at:.1f} s), other statuses "
          f"{sorted({s for s in statuses if s != 503}, key=str)}")
    assert ready_down == 503
    assert unavailable, "no request reached the app while the database was down"
    wrong = [(label, status, response.text[:200] if response is not None else "")
             for _, label, status, response in log if status not in (200, 201, 503)]
    # no 500, no dropped connection; when one is seen, what was asked and the app's log say why
    assert not wrong, (wrong[:5], app.tail(120))
    for _, _, _, response in unavailable:
        assert response.json()["error"] == "unavailable" and response.headers["Retry-After"]
    late = [entry for entry in log if entry[0] > up_at + 3]
    assert late and all(entry[2] in (200, 201) for entry in late)  # served again
    engine = inspector()
    acknowledged = {e[3].json()["id"] for e in log if e[1] == "start" and e[2] == 201}
    assert acknowledged <= {i.id for i in stored_instances(engine)}
