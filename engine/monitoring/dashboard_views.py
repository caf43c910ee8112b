"""What the monitoring answers: plain frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class StepStat:
    """One SOP step on the dashboard: requests waiting there now, and how
    long it took over the recent window against its standard."""

    id: str
    lane: str
    name: str
    number: int
    standard: str | None
    standard_minutes: int | None  # office minutes the standard allows
    waiting: int
    overdue: int
    finished: int
    breached: int
    median_minutes: int | None
    name_en: str | None = None  # the model's ``nameEn``, for English pages

    @property
    def median_over_standard(self) -> bool:
        """True when the typical request took longer than the standard allows."""
        return bool(self.standard_minutes and self.median_minutes is not None
                    and self.median_minutes > self.standard_minutes)


@dataclass(frozen=True)
class Compliance:
    """Timed steps finished in one month, and how many kept their standard."""

    month: str
    step: str
    finished: int
    within: int

    @property
    def percent(self) -> float | None:
        """Share within the standard, 0-100 (None when nothing finished)."""
        return 100.0 * self.within / self.finished if self.finished else None


@dataclass(frozen=True)
class AgencyMonth:
    """Requests an agency sent in one month."""

    agency: str
    name: str
    month: str
    count: int


@dataclass(frozen=True)
class OutcomeMonth:
    """Requests received in one month with one outcome (``running`` while open)."""

    month: str
    outcome: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    """The service at a glance."""

    generated_at: datetime
    months: tuple  # YYYY-MM, oldest first
    window_days: int  # the medians cover this many days
    steps: tuple  # StepStat, lane by lane
    compliance: tuple  # Compliance
    agencies: tuple  # AgencyMonth
    outcomes: tuple  # OutcomeMonth
    running: int
    overdue: int
    incidents: int


@dataclass(frozen=True)
class AgencyLine:
    """One agency's requests received in the recap month, by outcome."""

    agency: str
    name: str
    received: int
    outcomes: dict  # outcome -> count (``running`` for the open ones)


@dataclass(frozen=True)
class StepLine:
    """One step in the recap month: how many finished, in what time, how many late."""

    step: str
    lane: str
    name: str
    standard: str | None
    finished: int
    breached: int
    median_minutes: int | None
    number: int = 99  # the SOP's step number

    @property
    def percent(self) -> float | None:
        """Share within the standard, 0-100 (None without a standard or without rows)."""
        if not self.standard or not self.finished:
            return None
        return 100.0 * (self.finished - self.breached) / self.finished


@dataclass(frozen=True)
class Breach:
    """A step that overran its standard: which request, who held it, by how much."""

    instance_id: str
    topic: str
    letter_number: str
    agency: str  # the agency's name
    step: str
    step_name: str
    lane: str
    standard: str
    started_at: datetime
    ended_at: datetime
    due_at: datetime
    late_minutes: int
    held_by: str  # the full name (or username, or "sistem") of who finished the step
    escalations: int
    incidents: int  # service calls of the request retried or left as incidents


@dataclass(frozen=True)
class Recap:
    """The monthly recap for the head of the agency."""

    month: date
    generated_at: datetime
    received: int
    outcomes: dict  # outcome -> count, requests received in the month
    agencies: tuple  # AgencyLine
    steps: tuple  # StepLine
    breaches: tuple  # Breach
    finished_timed: int  # timed steps finished in the month
    within: int  # of which within their standard
    breach_count: int = 0  # every breach of the month (``breaches`` may list only the worst)


@dataclass(frozen=True)
class CalendarEntry:
    """One booking on a host account."""

    host_id: str
    start: datetime
    end: datetime
    instance_id: str | None
    topic: str
    agency: str  # the agency's name ("" for a booking made outside vicon)
    status: str  # booked | external (made outside vicon)


@dataclass(frozen=True)
class MeetingCalendar:
    """The bookings of the host accounts in a period (week or month)."""

    view: str  # week | month
    first_day: date
    last_day: date  # inclusive
    hosts: tuple  # (id, name) of every host account shown
    host_id: str | None  # the one host shown, or None for all
    entries: tuple  # CalendarEntry, by start
