"""Calendar months in WITA: bounds, keys, and the SQL that groups rows by them."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from engine.calendar.dates import WITA

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> date | None:
    """The first day of the month ``YYYY-MM``, or None when malformed."""
    match = MONTH.match(text or "")
    return date(int(match.group(1)), int(match.group(2)), 1) if match else None


def key(day: date) -> str:
    """``YYYY-MM``."""
    return f"{day.year:04d}-{day.month:02d}"


def shift(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def bounds(first: date, count: int = 1) -> tuple[datetime, datetime]:
    """UTC start and end of ``count`` months from ``first`` (WITA midnight)."""
    end = shift(first, count)
    return (datetime(first.year, first.month, 1, tzinfo=WITA).astimezone(timezone.utc),
            datetime(end.year, end.month, 1, tzinfo=WITA).astimezone(timezone.utc))


def current(now: datetime) -> date:
    """The first day of ``now``'s month in WITA."""
    local = now.astimezone(WITA)
    return date(local.year, local.month, 1)


def last(now: datetime, count: int) -> list[date]:
    """The ``count`` months up to and including ``now``'s, oldest first."""
    this = current(now)
    return [shift(this, -i) for i in range(count - 1, -1, -1)]

