"""Driving the SOP through the engine facade as the demo users."""
from __future__ import annotations

from engine import Worker

PASSWORD = "test-pass"


class Driver:
    """Completes tasks as the role of their lane; runs the worker after each step."""

    def __init__(self, engine, restart=None):
        self.engine = engine
        self.restart = restart  # builds a fresh engine on the same database
        engine.seed_demo(PASSWORD)
        self.instance_id = None

    def actor(self, username):
        return self.engine.actor(username)

    def _maybe_restart(self):
        if self.restart is not None:
            self.engine = self.restart()

    def work(self):
        Worker(self.engine).run_once()

    def start(self, data, agency="dinkes"):
        view = self.engine.start("zoom_meeting_request", data, self.actor(f"opd.{agency}"))
        self.instance_id = view.summary.id
        self._maybe_restart()
        self.work()
        return view

    def ready(self, username="admin"):
        view = self.engine.get_instance(self.instance_id, self.actor(username))
        return {t.name: t for t in view.tasks}

    def complete(self, element_id, data=None, username=None):
        task = self.ready()[element_id]
        username = username or _USER_OF_LANE[task.lane]
        view = self.engine.complete_task(task.id, data or {}, self.actor(username))
        self._maybe_restart()
        self.work()
        return view

    def instance(self, username="admin"):
        return self.engine.get_instance(self.instance_id, self.actor(username))


_USER_OF_LANE = {"OPD": "opd.dinkes", "Kadis": "kadis", "Kabid": "kabid",
                 "Subkoordinator": "subkoordinator", "Staf": "staf"}
