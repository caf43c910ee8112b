"""Words for the monitoring's figures in Indonesian and English: outcomes,
lanes, office time, time standards, numbers and shares."""
from __future__ import annotations

from engine.calendar.dates import month_names
from engine.calendar.durations import duration_words
from engine.monitoring.sop_lanes import short_name

OUTCOMES = {
    "fulfilled": ("Terpenuhi", "Fulfilled"),
    "schedule_full": ("Jadwal penuh", "Schedule full"),
    "withdrawn": ("Dibatalkan OPD", "Withdrawn"),
    "expired": ("Kedaluwarsa", "Expired"),
    "rejected": ("Ditolak", "Rejected"),
    "running": ("Masih berjalan", "In progress"),
}


def _pick(pair: tuple, lang: str) -> str:
    return pair[0] if lang == "id" else pair[1]


def outcome(name: str, lang: str = "id") -> str:
    """The outcome's label."""
    return _pick(OUTCOMES.get(name, (name, name)), lang)


def number(value: float, decimals: int = 0, lang: str = "id") -> str:
    """``1.234,5`` in Indonesian (``1,234.5`` in English)."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def percent(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """A share as ``94,4 %`` in Indonesian (``94.4%`` in English); "-" when unknown."""
    if value is None:
        return "-"
    return f"{number(value, decimals, lang)} %" if lang == "id" else f"{number(value, decimals, lang)}%"


def standard(value: str | None, lang: str = "id") -> str:
    """``P1D`` as "1 hari kerja", ``PT15M`` as "15 menit kerja"; "-" when there is none."""
    return duration_words(value, lang) if value else "-"


def office_time(minutes: int | None, lang: str = "id") -> str:
    """Office minutes as "2 j 05 m" ("2 h 05 min"); "-" when unknown."""
    if minutes is None:
        return "-"
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} m" if lang == "id" else f"{rest} min"
    return f"{hours} j {rest:02d} m" if lang == "id" else f"{hours} h {rest:02d} min"


def month_name(key: str, lang: str = "id", short: bool = False) -> str:
    """``2026-11`` as "November 2026" (short: "Nov")."""
    year, month = key.split("-")
    name = month_names("id" if lang == "id" else "en")[int(month) - 1]
    return name[:3] if short else f"{name} {year}"


def short_step_name(name: str) -> str:
    """A step's name without its parenthesised standard (shown separately)."""
    return short_name(name)
