"""The managers' monitoring as the facade offers it: dashboard, monthly
recap (data, CSV, PDF) and the meeting calendar, for managers and admins."""
from __future__ import annotations

import threading
import time
from datetime import date

from engine.accounts import access
from engine.errors import NotFound
from engine.monitoring import recap as recap_data
from engine.monitoring import recap_files, stats
from engine.monitoring.meeting_calendar import VIEWS, meeting_calendar
from engine.monitoring.projection import StepProjection

PROCESS_KEY = "zoom_meeting_request"
ROLES = ("manager", "admin")
WORST = 25  # breaches the page and the PDF list (the CSV lists all)
RECEIVED_SECONDS = 60  # requests per month, agency and outcome: a scan of six months, kept this long


class Monitoring:
    """Figures for oversight, read from aggregate queries."""

    def __init__(self, engine):
        self.engine = engine
        self.projection = StepProjection(engine.db, engine.versions, engine.calendar.calendar)
        self._received: tuple | None = None  # (expires, months, value)
        self._lock = threading.Lock()

    def _received_by_month(self, session, month_list, now):
        cached = self._received
        if cached and cached[1] == tuple(month_list) and time.monotonic() < cached[0]:
            return cached[2]
        value = stats.received_by_month(session, month_list, now)
        with self._lock:
            self._received = (time.monotonic() + RECEIVED_SECONDS, tuple(month_list), value)
        return value

    def _model(self, session):
        row = self.engine.versions.latest(session, PROCESS_KEY)
        if row is None:
            raise NotFound("the SOP process is not deployed", "proses SOP belum dipasang")
        return self.engine.versions.compiled(row).model

    def dashboard(self, actor):
        """The dashboard's figures (manager, admin)."""
        access.require_role(actor, *ROLES)
        self.projection.refresh()
        with self.engine.db.reading() as session:
            return stats.dashboard(session, self._model(session), self.engine.calendar.calendar(),
                                   self.engine.clock.now(), received=self._received_by_month)

    def recap(self, month: date, actor, limit: int | None = WORST):
        """The recap of ``month`` (its first day), listing the ``limit`` worst breaches (manager, admin)."""
        access.require_role(actor, *ROLES)
        self.projection.refresh()
        with self.engine.db.reading() as session:
            return recap_data.recap(session, self._model(session), month, self.engine.clock.now(), limit)

    def recap_csv(self, month: date, actor, lang: str = "id") -> str:
        """The recap of ``month`` as CSV, every breach listed."""
        return recap_files.recap_csv(self.recap(month, actor, limit=None), lang)

    def recap_pdf(self, month: date, actor) -> bytes:
        """The recap of ``month`` as a PDF on the letterhead, for signing."""
        data = self.recap(month, actor)
        return recap_files.recap_pdf(data, self.engine.settings.letters, self.engine.clock.now())

    def meeting_calendar(self, actor, view: str, day: date, host_id: str | None = None):
        """The host accounts' bookings in the week or month of ``day`` (manager, admin)."""
        access.require_role(actor, *ROLES)
        with self.engine.db.reading() as session:
            return meeting_calendar(session, view if view in VIEWS else "week", day, host_id)

    def seed_demo_history(self) -> int:
        """Demo mode: drive six months of past requests through the engine (once)."""
        from engine.demo.history import seed_history
        return seed_history(self.engine)
