"""A second process bundle, deployed at run time, runs end to end through the
JSON API: its key, lanes and step names come from its model, its lanes reach the
roles they name by property, and no code knows it."""
from __future__ import annotations

from tests.second_process import KEY, REQUEST, STEPS, bundle, multipart


def deploy(api) -> dict:
    """Deploy the bundle as the analyst."""
    body, content_type = multipart()
    response = api.post("/process-definitions", "analyst", data=body, content_type=content_type)
    assert response.status_code == 201, response.json
    return response.json


def test_the_second_process_runs_from_start_to_end_through_the_api(api):
    deployed = deploy(api)
    assert deployed["key"] == KEY and deployed["version"] == 1
    definitions = {d["key"]: d for d in api.get("/process-definitions", "opd.dinkes").json}
    assert {KEY, "zoom_meeting_request"} <= set(definitions)
    assert definitions[KEY]["start_form"]["schema"]["title"] == "Permohonan peminjaman ruang rapat"

    started = api.post(f"/process-definitions/{KEY}/instances", "opd.dinkes", json={"data": REQUEST})
    assert started.status_code == 201, started.json
    instance_id = started.json["id"]
    for element_id, title, lane, user in STEPS:
        task = next(t for t in api.get(f"/instances/{instance_id}", "admin").json["tasks"])
        assert (task["name"], task["title"], task["lane"], task["role"]) == (element_id, title, lane, user)
        inbox = api.get("/tasks", user).json
        assert [t["id"] for t in inbox if t["instance_id"] == instance_id] == [task["id"]]
        for other in ("kadis", "subkoordinator", "opd.dinkes"):  # roles the lane does not name
            assert task["id"] not in {t["id"] for t in api.get("/tasks", other).json}
            assert api.post(f"/tasks/{task['id']}/complete", other, json={"data": {}}).status_code == 403
        form = api.get(f"/tasks/{task['id']}", user).json["form"]["schema"]
        data = {name: field["default"] for name, field in form["properties"].items() if "default" in field}
        done = api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})
        assert done.status_code == 200, done.json

    instance = api.get(f"/instances/{instance_id}", "opd.dinkes").json
    assert instance["status"] == "completed" and instance["process_key"] == KEY
    assert instance["tasks"] == []
    events = [(e["type"], e["task"]) for e in api.get(f"/instances/{instance_id}/events", "admin").json]
    assert [task for type_, task in events if type_ == "task_completed"] == [s[0] for s in STEPS]
    assert events[-1][0] == "instance_completed"
    listed = api.get("/instances?per_page=100", "manager").json["items"]
    assert any(item["id"] == instance_id and item["process_key"] == KEY for item in listed)


def test_a_lane_naming_no_role_is_refused_at_deploy(api):
    bpmn, _forms = bundle()
    broken = bpmn.replace(b'<spiffworkflow:property name="role" value="Kabid" />', b"")
    body, content_type = multipart(broken)
    response = api.post("/process-definitions", "analyst", data=body, content_type=content_type)
    assert response.status_code == 422
    assert [p["element_id"] for p in response.json["problems"] if "Pimpinan" in p["message"]] == [
        "approve_booking"], response.json


def test_a_role_lane_may_not_be_given_another_role(api):
    bpmn, _forms = bundle()
    renamed = bpmn.replace(b'name="Pimpinan"', b'name="Kadis"')  # the SOP's Kadis lane, role kabid
    body, content_type = multipart(renamed)
    response = api.post("/process-definitions", "analyst", data=body, content_type=content_type)
    assert response.status_code == 422
    assert [p["element_id"] for p in response.json["problems"] if "Kadis" in p["message"]] == [
        "approve_booking"], response.json


def test_after_a_restart_the_inbox_learns_the_lanes_from_the_stored_model(api, monkeypatch):
    from engine.accounts import roles
    deploy(api)
    started = api.post(f"/process-definitions/{KEY}/instances", "opd.dinkes", json={"data": REQUEST})
    task = started.json["tasks"][0]
    monkeypatch.setattr(roles, "_learned", {})  # a fresh process: no model of this key loaded yet
    assert [t["id"] for t in api.get("/tasks", "staf").json] == [task["id"]]
    assert roles.role_of_lane("Sekretariat") == "staf"


def test_the_kabids_acting_official_works_a_lane_that_names_the_kabids_role(api, clock):
    engine = api.app.extensions["vicon"]
    deploy(api)
    started = api.post(f"/process-definitions/{KEY}/instances", "opd.dinkes", json={"data": REQUEST})
    check = started.json["tasks"][0]
    assert api.post(f"/tasks/{check['id']}/complete", "staf", json={"data": {"available": True}}).status_code == 200
    approve = api.get(f"/instances/{started.json['id']}", "admin").json["tasks"][0]
    assert approve["lane"] == "Pimpinan"
    today = clock.now().date().isoformat()
    engine.delegations.name(engine.actor("kabid"), "subkoordinator", today, today)
    listed = {t["id"]: t for t in api.get("/tasks", "subkoordinator").json}
    assert listed[approve["id"]]["can_complete"] is True
    done = api.post(f"/tasks/{approve['id']}/complete", "subkoordinator", json={"data": {"decision": "approve"}})
    assert done.status_code == 200, done.json
    events = api.get(f"/instances/{started.json['id']}/events", "admin").json
    completed = next(e for e in events if e["task"] == "approve_booking")
    assert (completed["actor"], completed["on_behalf_of"]) == ("subkoordinator", "kabid")
