"""``POST /api/v1/notifications/read-all``: the caller's unread notifications, no one else's."""
from tests.api.sop_http import HttpSop


def test_read_all_marks_the_callers_notifications_only(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    for name in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(name)
    clock.advance(minutes=11)
    api.work()  # the Staf's reminder
    clock.advance(minutes=5)
    api.work()  # the Subkoordinator's escalation
    assert api.get("/notifications?unread=true", "staf").json
    answer = api.post("/notifications/read-all", "staf")
    assert answer.status_code == 200 and answer.json["marked"] >= 1
    assert api.get("/notifications?unread=true", "staf").json == []
    assert len(api.get("/notifications?unread=true", "subkoordinator").json) == 1
    assert api.post("/notifications/read-all", "staf").json == {"marked": 0}
