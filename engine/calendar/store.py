"""The working calendar kept in the database: closed days seeded from the
shipped data file, editable by an admin, cached for a few minutes."""
from __future__ import annotations

import json
import threading
import time as clock_time
from datetime import date
from pathlib import Path

from sqlalchemy import select

from engine.calendar.working import DEFAULT_HOURS, WorkingCalendar
from engine.storage.models import ClosedDay
from engine.views import ClosedDayView

DATA_FILE = Path(__file__).with_name("closed_days.json")
KINDS = ("libur_nasional", "cuti_bersama", "lainnya")
REOPENED = "dibuka"  # a shipped closed day an admin reopened: kept so seeding never closes it again
CACHE_SECONDS = 300  # other processes see an admin's edit within this time


class CalendarStore:
    """Builds the WorkingCalendar from office hours and the closed-days table."""

    def __init__(self, db, hours=None):
        self.db = db
        self.hours = hours or DEFAULT_HOURS
        self._cached: tuple[float, WorkingCalendar] | None = None
        self._lock = threading.Lock()

    def seed(self, session) -> int:
        """Insert the shipped closed days that the table lacks; return how many."""
        shipped = json.loads(DATA_FILE.read_text(encoding="utf-8"))["days"]
        known = set(session.scalars(select(ClosedDay.day)))
        added = [ClosedDay(day=date.fromisoformat(d["date"]), name=d["name"], kind=d["kind"],
                           provisional=bool(d.get("provisional"))) for d in shipped
                 if date.fromisoformat(d["date"]) not in known]
        session.add_all(added)
        self.invalidate()
        return len(added)

    def calendar(self) -> WorkingCalendar:
        """The current calendar (cached)."""
        cached = self._cached
        if cached is not None and clock_time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
        with self.db.reading() as session:
            closed = frozenset(session.scalars(select(ClosedDay.day).where(ClosedDay.kind != REOPENED)))
        calendar = WorkingCalendar(hours=self.hours, closed=closed)
        with self._lock:
            self._cached = (clock_time.monotonic(), calendar)
        return calendar

    def invalidate(self) -> None:
        """Forget the cached calendar (after an edit in this process)."""
        with self._lock:
            self._cached = None

    def deadline(self, start, duration: str):
        """``start`` plus ``duration`` in working time."""
        return self.calendar().add(start, duration)

    def days(self, session, year: int) -> list[ClosedDay]:
        """The closed days of ``year``, in order."""
        return list(session.scalars(select(ClosedDay).where(
            ClosedDay.day >= date(year, 1, 1), ClosedDay.day <= date(year, 12, 31)).order_by(ClosedDay.day)))

    def put(self, session, day: date, name: str, kind: str) -> ClosedDay:
        """Add or change a closed day."""
        row = session.get(ClosedDay, day) or ClosedDay(day=day)
        row.name, row.kind, row.provisional = name, kind, False
        session.add(row)
        self.invalidate()
        return row

    def reopen(self, session, day: date) -> bool:
        """Make a closed day a working day again; False when it was not closed."""
        row = session.get(ClosedDay, day)
        if row is None or row.kind == REOPENED:
            return False
        row.kind, row.provisional = REOPENED, False
        self.invalidate()
        return True


def calendar_view(row: ClosedDay) -> ClosedDayView:
    """A closed-day row as a view."""
    return ClosedDayView(row.day, row.name, row.kind, row.provisional, row.kind != REOPENED)
