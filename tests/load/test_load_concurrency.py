"""Concurrency against gunicorn (2 processes x 4 threads) and its worker on
loopback: one task completed by 20 clients at once, and officials working
side by side for a bounded time without a single error."""
from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections import Counter

import requests

from tests.load.flow import Officials
from tests.load.harness import User, meeting_times, stored_instances

CLIENTS = 20
OFFICIALS = 50
SECONDS = float(os.environ.get("VICON_LOAD_SECONDS", "20"))  # the 60 s: VICON_LOAD_SECONDS=60
AGENCIES = ("opd.dinkes", "opd.disdik", "opd.dishub", "opd.dinsos", "opd.bappeda", "opd.bpbd", "opd.setda")
STAFF = ("kadis", "kabid", "subkoordinator", "staf", "manager", "admin")


def test_twenty_concurrent_completions_of_one_task_one_wins(cluster):
    app = cluster.gunicorn(workers=2)
    cluster.worker()
    officials = Officials(app.url)
    started = officials["opd.dinkes"].start_request(meeting_times(1)[0])
    assert started.status_code == 201, started.text[:300]
    instance_id = started.json()["id"]
    task = officials["admin"].ready(instance_id)["T02_disposition_kadis"]
    clients = [User(app.url, "kadis") for _ in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)
    statuses = []

    def complete(user):
        barrier.wait(timeout=30)
        statuses.append(user.complete(task["id"], {"instructions": ["Jadwalkan"]}).status_code)

    threads = [threading.Thread(target=complete, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Counter(statuses) == {200: 1, 409: CLIENTS - 1}
    events = officials["admin"].get(f"/instances/{instance_id}/events").json()
    assert [e["task"] for e in events if e["type"] == "task_completed"] == ["T02_disposition_kadis"]
    assert set(officials["admin"].ready(instance_id)) == {"T03_disposition_kabid"}


class Tally:
    """What the officials saw: statuses, latencies, failures (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.latencies: list[float] = []
        self.failures: list[str] = []

    def call(self, label: str, send):
        began = time.perf_counter()
        try:
            response = send()
        except requests.RequestException as exc:
            with self.lock:
                self.failures.append(f"{label}: {type(exc).__name__}")
            return None
        with self.lock:
            self.latencies.append(time.perf_counter() - began)
            self.statuses[response.status_code] += 1
            if response.status_code >= 500 or response.status_code not in (200, 201, 409):
                self.failures.append(f"{label}: {response.status_code} {response.text[:200]}")
        return response


def official(user: User, tally: Tally, deadline: float, times: list[str], rng: random.Random) -> None:
    """One official's working loop: agencies submit and follow their requests;
    the Kadis and Kabid take the dispositions waiting for them; everyone
    reads the inbox, the lists and a request."""
    while time.monotonic() < deadline:
        if user.username.startswith("opd.") and rng.random() < 0.3 and times:
            tally.call("start", lambda: user.start_request(times.pop(), topic=f"Rapat beban {user.username}"))
        inbox = tally.call("tasks", lambda: user.get("/tasks"))
        mine = [t for t in (inbox.json() if inbox is not None and inbox.status_code == 200 else [])
                if t["can_complete"] and t["name"] in ("T02_disposition_kadis", "T03_disposition_kabid")]
        if mine:
            task = rng.choice(mine)
            data = {"instructions": ["Untuk ditindaklanjuti"]} if task["name"].startswith("T02") else {}
            tally.call("complete", lambda: user.complete(task["id"], data))
        listing = tally.call("instances", lambda: user.get("/instances", params={"per_page": 20}))
        items = listing.json()["items"] if listing is not None and listing.status_code == 200 else []
        if items:
            one = rng.choice(items)["id"]
            tally.call("instance", lambda: user.get(f"/instances/{one}"))
            tally.call("events", lambda: user.get(f"/instances/{one}/events"))


def test_fifty_officials_work_at_once_without_an_error(cluster, inspector):
    app = cluster.gunicorn(workers=2)
    cluster.worker()
    names = [(AGENCIES + STAFF)[i % len(AGENCIES + STAFF)] for i in range(OFFICIALS)]
    users = [User(app.url, name) for name in names]
    for user in users:  # signing 50 in takes a while: a kept connection idle past gunicorn's
        user.http.close()  # keep-alive (5 s) may be closed by the server just as it is reused
        user.resend_reads_on_closed_connections()
    times = meeting_times(400)
    tally, rng = Tally(), random.Random(7)
    deadline = time.monotonic() + SECONDS
    threads = [threading.Thread(target=official, args=(u, tally, deadline, times, random.Random(rng.random())))
               for u in users]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    elapsed = time.monotonic() - began
    answered = sum(tally.statuses.values())
    cut = statistics.quantiles(tally.latencies, n=100)
    print(f"\n{OFFICIALS} officials for {SECONDS:.0f} s: {answered} requests in {elapsed:.1f} s "
          f"({answered / elapsed:.1f}/s), statuses {dict(tally.statuses)}, p50 {cut[49] * 1000:.0f} ms, "
          f"p95 {cut[94] * 1000:.0f} ms, max {max(tally.latencies) * 1000:.0f} ms, errors {tally.failures}")
    assert tally.failures == []
    assert tally.statuses[201] >= 5 and tally.statuses[200] >= 2 * OFFICIALS  # real work was done
    engine = inspector()
    stored = stored_instances(engine)
    assert len(stored) == tally.statuses[201]  # every acknowledged submission stored, none twice
    assert all(engine.verify_audit(i.id).ok for i in stored)
