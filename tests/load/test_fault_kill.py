"""``kill -9`` in the middle of work: of the app while commands are in flight,
and of the worker while the Zoom call of a job is in flight. Nothing
acknowledged is lost, nothing is done twice, and the request completes
after a restart."""
from __future__ import annotations

import threading
import time
from collections import Counter

import requests

from tests.fakes.zoom_server import DEMO_HOSTS, FakeZoomServer
from tests.load.flow import Officials
from tests.load.harness import User, meeting_times, stored_instances, wait_for

WRITERS = 6
CREATE = r"/users/[^/]+/meetings"


class Outcomes:
    """What each writer was told: acknowledged, or cut off by the kill (unknown)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.started: dict[str, str] = {}  # topic -> instance id (201)
        self.unknown_starts: set[str] = set()
        self.completed: set[str] = set()  # instance ids whose T02 completion answered 200
        self.unknown_completions: set[str] = set()
        self.other: Counter = Counter()


def writer(base_url: str, index: int, times: list[str], outcomes: Outcomes, stop: threading.Event) -> None:
    """Submit requests and complete their first disposition until the server dies."""
    try:
        agency, kadis = User(base_url, "opd.dinkes"), User(base_url, "kadis")
    except requests.RequestException:  # the kill came while this writer was still signing in
        return
    for round_ in range(1000):
        if stop.is_set():
            return
        topic = f"Rapat writer {index} nomor {round_}"
        try:
            response = agency.start_request(times.pop(), topic=topic)
        except requests.RequestException:
            with outcomes.lock:
                outcomes.unknown_starts.add(topic)
            return
        if response.status_code != 201:
            with outcomes.lock:
                outcomes.other[response.status_code] += 1
            continue
        instance_id = response.json()["id"]
        with outcomes.lock:
            outcomes.started[topic] = instance_id
        try:
            task = kadis.ready(instance_id)["T02_disposition_kadis"]
            done = kadis.complete(task["id"], {"instructions": ["Jadwalkan"]})
        except (requests.RequestException, AssertionError):
            with outcomes.lock:
                outcomes.unknown_completions.add(instance_id)
            return
        with outcomes.lock:
            (outcomes.completed.add(instance_id) if done.status_code == 200
             else outcomes.other.update([done.status_code]))


def test_kill_9_of_the_app_mid_command_loses_and_doubles_nothing(cluster, inspector):
    app = cluster.serve()  # waitress and the in-process worker, as `make run` serves
    outcomes, stop, times = Outcomes(), threading.Event(), meeting_times(WRITERS * 200)
    threads = [threading.Thread(target=writer, args=(app.url, i, times, outcomes, stop)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(outcomes.completed) >= 3, 60, "a few acknowledged commands")
    app.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    cut_off = outcomes.unknown_starts | outcomes.unknown_completions
    assert cut_off, "the kill landed between commands: nothing was in flight"
    assert outcomes.other == Counter()

    restarted = cluster.serve()
    engine = inspector()
    admin = engine.actor("admin")
    stored = Counter(i.topic for i in stored_instances(engine))
    assert all(stored[topic] == 1 for topic in outcomes.started)  # nothing acknowledged lost
    assert all(stored[topic] <= 1 for topic in outcomes.unknown_starts)  # nothing doubled
    assert set(stored) <= set(outcomes.started) | outcomes.unknown_starts
    for summary in stored_instances(engine):
        assert engine.verify_audit(summary.id).ok
        done = [e for e in engine.events(summary.id, admin)
                if e.type == "task_completed" and e.task == "T02_disposition_kadis"]
        ready = {t.name for t in engine.get_instance(summary.id, admin).tasks}
        assert len(done) <= 1 and (len(done) == 1) == ("T02_disposition_kadis" not in ready)
        if summary.id in outcomes.completed:
            assert len(done) == 1
    print(f"\nkill -9 of the app: {len(outcomes.started)} submissions and {len(outcomes.completed)} "
          f"dispositions acknowledged, {len(cut_off)} command(s) cut off, "
          f"{sum(stored.values())} requests stored")

    officials = Officials(restarted.url)
    interrupted = next(iter(outcomes.unknown_completions & set(outcomes.started.values())), None)
    finished = officials.finish(interrupted or next(iter(outcomes.started.values())))
    assert (finished["status"], finished["outcome"]) == ("completed", "fulfilled")


def test_kill_9_of_the_worker_mid_job_makes_one_meeting(cluster, inspector):
    zoom = FakeZoomServer(hosts=DEMO_HOSTS).start()
    try:
        env = {**zoom.env(), "VICON_JOB_LEASE_SECONDS": "3"}
        app = cluster.gunicorn(workers=1, **env)
        worker = cluster.worker(**env)
        officials = Officials(app.url)
        started = officials["opd.dinkes"].start_request(meeting_times(1)[0])
        assert started.status_code == 201, started.text[:300]
        instance_id = started.json()["id"]
        officials.complete(instance_id, "T02_disposition_kadis")
        officials.complete(instance_id, "T03_disposition_kabid")
        # Zoom makes the meeting, then answers only after 20 s: the worker is killed while it waits
        zoom.state.fail("POST", CREATE, "timeout_after", delay=20)
        officials.complete(instance_id, "T04_disposition_staf")
        wait_for(lambda: zoom.state.with_marker(f"vicon:{instance_id}"), 30, "the meeting at Zoom")
        time.sleep(0.5)
        worker.kill()
        creations = sum(1 for method, path in zoom.state.calls if method == "POST" and "/meetings" in path)
        assert creations == 1

        cluster.worker(**env)  # a new worker takes the job over once its lease has run out
        ready = wait_for(lambda: "T06_report_meeting" in officials["admin"].ready(instance_id), 60,
                         "the request past the meeting step")
        assert ready
        made = zoom.state.with_marker(f"vicon:{instance_id}")
        assert len(made) == 1  # adopted, not made again
        meeting = officials["staf"].get(f"/instances/{instance_id}").json()["meeting"]
        assert meeting["meeting_id"] == str(made[0]["id"])
        assert inspector().verify_audit(instance_id).ok
        finished = officials.finish(instance_id)
        assert (finished["status"], finished["outcome"]) == ("completed", "fulfilled")
        assert len(zoom.state.with_marker(f"vicon:{instance_id}")) == 1
    finally:
        zoom.stop()
