"""Times on pages, in WITA: the engine's formats (``engine.calendar.dates``) as
template filters, and the datetime-local inputs read as WITA."""
from __future__ import annotations

from datetime import datetime

from engine import WITA, date_and_time, long_date, to_wita

from api.web.lang import page_lang

__all__ = ["WITA", "from_local_input", "local_input", "long_date", "long_datetime", "register_filters",
           "to_wita"]
long_datetime = date_and_time  # pages say it without the day's name: "7 Desember 2026 pukul 09.00 WITA"


def local_input(value) -> str:
    """A datetime-local input's value (``2026-12-09T10:00``) in WITA."""
    moment = to_wita(value)
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else (value or "")


def from_local_input(text: str) -> str:
    """A datetime-local value read as WITA, as ISO text with ``+08:00`` (unchanged
    when it is not a datetime-local value, so the engine names the problem)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WITA)
    return moment.isoformat()


def register_filters(app) -> None:
    """Make the formats available to templates."""
    app.jinja_env.filters.update(wita=lambda v: long_datetime(v, page_lang()),
                                 tanggal=lambda v: long_date(v, page_lang()), local_input=local_input)
