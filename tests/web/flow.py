"""Walking one request through the pages, as each lane's demo user."""
from __future__ import annotations

import re

from tests.api.accounts import USER_OF_LANE
from tests.api.form_data import build
from api.web.wita import local_input

TASK_LINK = re.compile(r'href="/tugas/([0-9a-f-]{36})"')
SIGN_CONFIRMATION = 'name="confirm" value="yes"'  # the form the Kadis confirms a signature with


def html_form(schema: dict, clock, overrides: dict | None = None) -> dict:
    """Form fields as a browser would post them for valid data of ``schema``."""
    data = build(schema, clock, overrides)
    fields = {}
    for name, value in data.items():
        prop = schema["properties"].get(name, {})
        if prop.get("format") == "date-time" and isinstance(value, str):
            fields[name] = local_input(value)
        elif isinstance(value, bool):
            if value:
                fields[name] = "on"
        elif isinstance(value, list):
            fields[name] = [str(v) for v in value]
        else:
            fields[name] = str(value)
    return fields


class PageSop:
    """One request from the agency's page to its end."""

    def __init__(self, pages, clock, agency_user: str = "opd.dinkes"):
        self.pages, self.clock, self.agency_user = pages, clock, agency_user
        self.instance_id = None
        self.engine = pages(agency_user).engine

    def start_schema(self) -> dict:
        """The start form's schema (from the engine, as the page renders it)."""
        actor = self.engine.actor(self.agency_user)
        return next(d for d in self.engine.process_definitions(actor)
                    if d.key == "zoom_meeting_request").start_form.schema

    def submit(self, **overrides):
        """Submit the new-request page; return the response (a redirect when accepted)."""
        agency = self.pages(self.agency_user)
        response = agency.submit("/permohonan/baru", html_form(self.start_schema(), self.clock, overrides))
        if response.status_code == 302:
            self.instance_id = response.headers["Location"].rsplit("/", 1)[-1]
            agency.work()
        return response

    def ready(self):
        """The instance's ready tasks (as the admin sees them)."""
        return self.engine.get_instance(self.instance_id, self.engine.actor("admin")).tasks

    def user_of(self, task) -> str:
        """The demo user who works ``task``'s lane."""
        return self.agency_user if task.lane == "OPD" else USER_OF_LANE[task.lane]

    def complete_next(self, **overrides):
        """Complete the first ready task through its user's inbox and task page."""
        task = self.ready()[0]
        browser = self.pages(self.user_of(task))
        inbox = browser.get("/kotak-masuk").get_data(as_text=True)
        assert task.id in TASK_LINK.findall(inbox), f"{task.name} not in the inbox of {browser.username}"
        detail = self.engine.get_task(task.id, self.engine.actor(browser.username))
        response = browser.submit(f"/tugas/{task.id}", html_form(detail.form.schema, self.clock, overrides))
        if response.status_code == 200 and SIGN_CONFIRMATION in response.get_data(as_text=True):
            response = browser.submit(f"/tugas/{task.id}/tandatangani", {"confirm": "yes"})  # the Kadis confirms
        assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
        browser.work()
        return task

    def status(self):
        """(status, outcome) of the instance."""
        view = self.engine.get_instance(self.instance_id, self.engine.actor("admin"))
        return view.summary.status, view.summary.outcome
