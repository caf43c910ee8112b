"""The managers' monitoring as the facade offers it: dashboard, monthly
recap (data, CSV, PDF) and the meeting calendar, for managers and admins."""
from __future__ import annotations

import threading
import time
from datetime import date

from sqlalchemy import func, select

from engine.accounts import access
from engine.errors import NotFound
from engine.letters.verification import SqlVerifications
from engine.monitoring import recap as recap_data
from engine.monitoring import recap_files, stats
from engine.monitoring.meeting_calendar import VIEWS, meeting_calendar
from engine.monitoring.projection import StepProjection
from engine.storage.models import Instance, ProcessVersion

ROLES = ("manager", "admin")
WORST = 25  # breaches the page and the PDF list (the CSV lists all)
RECEIVED_SECONDS = 60  # requests per month, agency and outcome: a scan of six months, kept this long


class Monitoring:
    """Figures for oversight, read from aggregate queries."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.projection = StepProjection(kernel.db, kernel.versions, kernel.calendar.calendar)
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

    def _model(self, session, key: str | None = None):
        """The newest model of process ``key``, or by default of the deployed
        process with the most requests (read from the versions store)."""
        versions = self.kernel.versions
        row = versions.latest(session, key) if key else _busiest(session, versions.all_latest(session))
        if row is None:
            raise NotFound("the process is not deployed", "proses belum dipasang")
        return versions.compiled(row).model

    def dashboard(self, actor, key: str | None = None):
        """The dashboard's figures (manager, admin) for the steps of process ``key``
        (default: the deployed process with the most requests)."""
        access.require_role(actor, *ROLES)
        self.projection.refresh()
        with self.kernel.db.reading() as session:
            return stats.dashboard(session, self._model(session, key), self.kernel.calendar.calendar(),
                                   self.kernel.clock.now(), received=self._received_by_month)

    def recap(self, month: date, actor, limit: int | None = WORST):
        """The recap of ``month`` (its first day), listing the ``limit`` worst breaches (manager, admin)."""
        access.require_role(actor, *ROLES)
        self.projection.refresh()
        with self.kernel.db.reading() as session:
            return recap_data.recap(session, self._model(session), month, self.kernel.clock.now(), limit)

    def recap_csv(self, month: date, actor, lang: str = "id") -> str:
        """The recap of ``month`` as CSV, every breach listed."""
        return recap_files.recap_csv(self.recap(month, actor, limit=None), lang)

    def recap_pdf(self, month: date, actor) -> bytes:
        """The recap of ``month`` as a PDF on the letterhead, for signing."""
        data = self.recap(month, actor)
        verifications = SqlVerifications(self.kernel.db, base_url=self.kernel.settings.public_url)
        return recap_files.recap_pdf(data, self.kernel.settings.letters, self.kernel.clock.now(), verifications)

    def meeting_calendar(self, actor, view: str, day: date, host_id: str | None = None):
        """The host accounts' bookings in the week or month of ``day`` (manager, admin)."""
        access.require_role(actor, *ROLES)
        with self.kernel.db.reading() as session:
            return meeting_calendar(session, view if view in VIEWS else "week", day, host_id)


def _busiest(session, rows):
    """Of the newest version rows, the one whose process has the most requests."""
    if len(rows) < 2:
        return rows[0] if rows else None
    counts = dict(session.execute(select(ProcessVersion.key, func.count(Instance.id))
                                  .join(Instance, Instance.process_version_id == ProcessVersion.id)
                                  .group_by(ProcessVersion.key)).all())
    return max(rows, key=lambda row: counts.get(row.key, 0))
