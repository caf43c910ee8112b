"""Working time: office hours per weekday (WITA) and closed days (national
holidays, collective leave). "1 day" in a time standard is one working day;
hours and minutes count only office time."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from engine.calendar.dates import WITA
from engine.calendar.durations import parse_duration

# A Tarakan city office: Monday-Thursday 07:30-16:00 and Friday 07:30-16:30, with the
# midday break (longer on Friday for the Friday prayer); closed on weekends.
DEFAULT_HOURS = {
    0: ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))),
    1: ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))),
    2: ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))),
    3: ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0))),
    4: ((time(7, 30), time(11, 30)), (time(13, 30), time(16, 30))),
    5: (),
    6: (),
}


_DAY_NAMES = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
              "sen": 0, "sel": 1, "rab": 2, "kam": 3, "jum": 4, "sab": 5, "min": 6}


def parse_office_hours(text: str) -> dict:
    """Office hours from ``"mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:30"``
    (English or Indonesian day abbreviations); days not named are closed."""
    hours: dict[int, tuple[tuple[time, time], ...]] = {day: () for day in range(7)}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        days, _, spans = part.partition(" ")
        first, _, last = days.lower().partition("-")
        if first[:3] not in _DAY_NAMES or (last and last[:3] not in _DAY_NAMES):
            raise ValueError(f"unknown day in {part!r}")
        lo, hi = _DAY_NAMES[first[:3]], _DAY_NAMES[(last or first)[:3]]
        periods = tuple(_span(s) for s in spans.replace(" ", "").split(",") if s)
        if not periods or lo > hi:
            raise ValueError(f"no hours or a backwards day range in {part!r}")
        for day in range(lo, hi + 1):
            hours[day] = periods
    return hours


def _span(text: str) -> tuple[time, time]:
    start, _, end = text.partition("-")
    opens, closes = time.fromisoformat(start), time.fromisoformat(end)
    if closes <= opens:
        raise ValueError(f"the office closes before it opens: {text!r}")
    return opens, closes


@dataclass(frozen=True)
class WorkingCalendar:
    """Office hours by weekday (0 = Monday) and a set of closed dates."""

    hours: dict = field(default_factory=lambda: dict(DEFAULT_HOURS))
    closed: frozenset = frozenset()
    tz: timezone = WITA

    def is_working_day(self, day: date) -> bool:
        """True when the office opens on ``day``."""
        return bool(self.hours.get(day.weekday())) and day not in self.closed

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office periods of ``day`` as aware datetimes (none when closed)."""
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, a, self.tz), datetime.combine(day, b, self.tz))
                for a, b in self.hours[day.weekday()]]

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += timedelta(days=1)
        for _ in range(370):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within a year")

    def open_at_or_after(self, moment: datetime) -> datetime:
        """``moment`` if the office is open then, else the next opening."""
        local = moment.astimezone(self.tz)
        day = local.date()
        for _ in range(370):
            for start, end in self.periods(day):
                if local < end:
                    return max(local, start)
            day = day + timedelta(days=1)
        raise ValueError("no working time within a year")

    def add(self, start: datetime, duration: str) -> datetime:
        """``start`` plus an ISO 8601 duration in working time (W = 5 working days);
        DurationError (a ValueError) for what the calendar cannot count."""
        parsed = parse_duration(duration)
        moment = self.open_at_or_after(start)
        for _ in range(parsed.working_days):
            moment = self._same_time_next_working_day(moment)
        return self._add_office_time(moment, parsed.office_time).astimezone(timezone.utc)

    def _same_time_next_working_day(self, moment: datetime) -> datetime:
        day = self.next_working_day(moment.date())
        wanted = datetime.combine(day, moment.timetz().replace(tzinfo=None), self.tz)
        periods = self.periods(day)
        for start, end in periods:
            if wanted < end:
                return max(wanted, start)
        return periods[-1][1]  # later than this day's closing: due at closing

    def _add_office_time(self, moment: datetime, remaining: timedelta) -> datetime:
        moment = moment.astimezone(self.tz)
        while remaining > timedelta(0):
            moment = self.open_at_or_after(moment)
            end = next(e for s, e in self.periods(moment.date()) if s <= moment < e)
            step = min(remaining, end - moment)
            moment, remaining = moment + step, remaining - step
        return moment

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Office time elapsed from ``a`` to ``b`` (zero when ``b`` is earlier)."""
        total, day = timedelta(0), a.astimezone(self.tz).date()
        last = b.astimezone(self.tz).date()
        while day <= last:
            for start, end in self.periods(day):
                lo, hi = max(start, a), min(end, b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total
