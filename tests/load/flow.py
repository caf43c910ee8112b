"""Walking a request through the SOP over HTTP against a real server."""
from __future__ import annotations

from engine import SystemClock
from tests.api.form_data import build
from tests.load.harness import User, wait_for

LANE_USER = {"OPD": "opd.dinkes", "Kadis": "kadis", "Kabid": "kabid", "Subkoordinator": "subkoordinator",
             "Staf": "staf"}
DATA = {"T02_disposition_kadis": {"instructions": ["Untuk ditindaklanjuti"], "note": "Mohon difasilitasi"},
        "T05_enter_meeting_details": {"meeting_id": "987 6543 2109", "passcode": "abc123",
                                      "join_url": "https://zoom.us/j/98765432109"},
        "T07_draft_letter": {"body": "Bersama ini kami sampaikan detail rapat."}}


class Officials:
    """One signed-in client per lane's user."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.users: dict[str, User] = {}

    def __getitem__(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = User(self.base_url, username)
        return self.users[username]

    def complete(self, instance_id: str, element: str, timeout: float = 60) -> None:
        """Complete the ready task ``element`` (waiting for it) as its lane's user."""
        task = wait_for(lambda: self["admin"].ready(instance_id).get(element), timeout, element)
        user = self[LANE_USER[task["lane"]]]
        detail = wait_for(lambda: _reviewable(user.get(f"/tasks/{task['id']}")), timeout,
                          f"{element}'s letter laid out by the worker")
        data = build(detail.json()["form"]["schema"], SystemClock(), DATA.get(element))
        response = user.complete(task["id"], data)
        assert response.status_code == 200, (element, response.status_code, response.text[:300])

    def finish(self, instance_id: str, timeout: float = 60) -> dict:
        """Complete whatever is ready until the request ends; return the instance."""
        admin = self["admin"]

        def ended_or_ready():
            instance = admin.get(f"/instances/{instance_id}").json()
            return instance if instance["status"] == "completed" or instance["tasks"] else None

        while True:
            instance = wait_for(ended_or_ready, timeout, "a ready task or the end")
            if instance["status"] == "completed":
                return instance
            self.complete(instance_id, instance["tasks"][0]["name"], timeout)


def _reviewable(detail):
    """The task's answer once its letter is laid out (a review waits for the worker's konsep)."""
    assert detail.status_code == 200, detail.text[:300]
    document = detail.json().get("document")
    return detail if document is None or document["state"] == "ready" else None
