"""Acting officials over the JSON API: the deputy's token lists and completes the
official's tasks during the range only, and the events say on whose behalf."""
from tests.api.sop_http import HttpSop


def test_the_deputy_works_the_officials_lane_through_the_api_during_the_range(api, clock):
    engine = api.app.extensions["vicon"]
    sop = HttpSop(api, clock)
    sop.start()
    task = sop.ready()["T02_disposition_kadis"]
    engine.delegations.name(engine.actor("kadis"), "staf", "2026-12-08", "2026-12-08")
    assert task["id"] not in {t["id"] for t in api.get("/tasks", "staf").json}
    assert api.post(f"/tasks/{task['id']}/complete", "staf", json={"data": {}}).status_code == 403
    clock.advance(days=1)
    assert task["id"] in {t["id"] for t in api.get("/tasks", "staf").json}
    sop.complete("T02_disposition_kadis", username="staf")
    events = api.get(f"/instances/{sop.instance_id}/events", "admin").json
    done = next(e for e in events if e["task"] == "T02_disposition_kadis")
    assert (done["actor"], done["on_behalf_of"]) == ("staf", "kadis")
    clock.advance(days=1)  # the range is over: staf is back to its own lane
    assert all(t["lane"] == "Staf" for t in api.get("/tasks", "staf").json)
