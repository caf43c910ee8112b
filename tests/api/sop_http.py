"""Driving one SOP instance over HTTP as the demo users, with every body built
from the forms the API hands out, and the worker run after every step."""
from __future__ import annotations

from tests.api.accounts import PROCESS, USER_OF_LANE
from tests.api.form_data import build


class HttpSop:
    """One request from submission to its end, through the JSON API only."""

    def __init__(self, api, clock, agency: str = "dinkes"):
        self.api, self.clock = api, clock
        self.agency_user = f"opd.{agency}"
        self.instance_id = None

    def start_form(self) -> dict:
        """The start form's JSON Schema, as the agency sees it."""
        response = self.api.get("/process-definitions", self.agency_user)
        assert response.status_code == 200, response.json
        definition = next(d for d in response.json if d["key"] == PROCESS)
        return definition["start_form"]["schema"]

    def start(self, **overrides) -> dict:
        """Submit a request; return the new instance."""
        data = build(self.start_form(), self.clock, overrides)
        response = self.api.post(f"/process-definitions/{PROCESS}/instances", self.agency_user,
                                 json={"data": data})
        assert response.status_code == 201, response.json
        self.instance_id = response.json["id"]
        assert response.headers["Location"].endswith(self.instance_id)
        self.api.work()
        return response.json

    def instance(self, username: str = "admin") -> dict:
        """The instance as ``username`` sees it."""
        response = self.api.get(f"/instances/{self.instance_id}", username)
        assert response.status_code == 200, response.json
        return response.json

    def ready(self) -> dict:
        """Ready tasks by BPMN element id."""
        return {task["name"]: task for task in self.instance()["tasks"]}

    def complete(self, name: str, username: str | None = None, **overrides) -> dict:
        """Complete the ready task ``name`` as the user of its lane, with form-built data."""
        task = self.ready()[name]
        user = username or self._user_of(task["lane"])
        work_list = self.api.get("/tasks", user).json
        assert task["id"] in {t["id"] for t in work_list}
        detail = self.api.get(f"/tasks/{task['id']}", user)
        assert detail.status_code == 200, detail.json
        data = build(detail.json["form"]["schema"], self.clock, overrides)
        response = self.api.post(f"/tasks/{task['id']}/complete", user, json={"data": data})
        assert response.status_code == 200, response.json
        self.api.work()
        return response.json

    def _user_of(self, lane: str) -> str:
        return self.agency_user if lane == "OPD" else USER_OF_LANE[lane]

    def outcome(self) -> tuple[str, str | None]:
        """(status, outcome) of the instance."""
        view = self.instance()
        return view["status"], view["outcome"]
