"""Times as people in Tarakan read them: Waktu Indonesia Tengah (UTC+8)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from api.web.lang import page_lang

WITA = timezone(timedelta(hours=8), "WITA")
MONTHS = {"id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                 "September", "Oktober", "November", "Desember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December")}


def to_wita(value) -> datetime | None:
    """``value`` (a datetime or ISO text; naive means UTC) in WITA, or None."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(WITA)


def long_date(value, lang: str = "id") -> str:
    """``7 Desember 2026`` (``7 December 2026``) for a date, datetime or ISO date text."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = to_wita(value)
    if not isinstance(value, date):
        return ""
    return f"{value.day} {MONTHS.get(lang, MONTHS['id'])[value.month - 1]} {value.year}"


def long_datetime(value, lang: str = "id") -> str:
    """``7 Desember 2026 pukul 09.00 WITA`` (``7 December 2026 at 09:00 WITA``)."""
    moment = to_wita(value)
    if moment is None:
        return "" if value is None else str(value)
    if lang == "en":
        return f"{long_date(moment, lang)} at {moment:%H:%M} WITA"
    return f"{long_date(moment)} pukul {moment:%H.%M} WITA"


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
