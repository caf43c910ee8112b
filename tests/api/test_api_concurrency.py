"""Twenty clients complete the same task at once: one wins, the rest get 409."""
import threading
from collections import Counter

from tests.api.sop_http import HttpSop

CLIENTS = 20


def test_concurrent_completions_of_one_task(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    task = sop.ready()["T02_disposition_kadis"]["id"]
    headers = api.headers("kadis")
    before = len(api.get(f"/instances/{sop.instance_id}/events", "admin").json)
    barrier = threading.Barrier(CLIENTS)
    statuses, bodies = [], []

    def complete():
        client = api.app.test_client()
        barrier.wait(timeout=30)
        response = client.post(f"/api/v1/tasks/{task}/complete", json={"data": {}}, headers=headers)
        statuses.append(response.status_code)
        bodies.append(response.json)

    threads = [threading.Thread(target=complete) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert Counter(statuses) == {200: 1, 409: CLIENTS - 1}, bodies
    assert all(b["error"] == "conflict" for b in bodies if "error" in b)
    events = api.get(f"/instances/{sop.instance_id}/events", "admin").json
    completed = [e for e in events[before:] if e["type"] == "task_completed"]
    assert len(completed) == 1
    assert set(sop.ready()) == {"T03_disposition_kabid"}
