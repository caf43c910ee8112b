"""A full SOP instance through the engine facade on a SQLite file (WAL),
with the worker run in-process after every command, as ``make run`` does."""
from __future__ import annotations

from datetime import timedelta

from engine import Engine, Settings, Worker

from .fixtures import LANE_USERS, StubMeetingProvider, answers_for, request_at

PASSWORD = "bench-pass"


def build_engine(tmpdir, clock, pdf: bool = True, database_url: str | None = None) -> Engine:
    """An engine on a fresh SQLite file (or on ``database_url``, its schema dropped first)
    with the demo data and a stub provider; ``pdf=False`` keeps the letters' HTML but
    skips the PDF layout (WeasyPrint)."""
    settings = Settings(database_url=database_url or f"sqlite:///{tmpdir}/bench.sqlite",
                        outbox_dir=tmpdir / "outbox")
    engine = Engine(settings, clock=clock, meeting_provider=StubMeetingProvider())
    if database_url:
        engine.db.drop_schema()
    engine.setup()
    engine.seed_demo(PASSWORD)
    if not pdf:
        press = engine.letters.press
        press.pdf = lambda kind, context: b"%PDF-1.4\n" + press.html(kind, context).encode("utf-8")
    return engine


class FacadeRun:
    """Runs fulfilled instances through the facade."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.worker = Worker(engine)
        self.actors = {lane: engine.actor(user) for lane, user in LANE_USERS.items()}
        self.count = 0

    def one(self) -> str:
        """One instance from start to ``fulfilled``; returns its id."""
        self.count += 1
        request = request_at(self.engine.clock.now() + timedelta(days=2, hours=3 * self.count))
        view = self.engine.start("zoom_meeting_request", request, self.actors["OPD"])
        instance_id = view.summary.id
        while True:
            if self.worker.run_once():  # a job ran: the tasks changed since the command
                view = self.engine.get_instance(instance_id, self.actors["Kadis"])
            if not view.tasks:
                return instance_id
            task = view.tasks[0]
            view = self.engine.complete_task(task.id, answers_for(task.name), self.actors[task.lane])
