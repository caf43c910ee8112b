"""Server rules on form data that JSON Schema cannot state: dates judged by the engine's clock."""
from __future__ import annotations

from datetime import date, datetime

from engine.calendar.dates import WITA


def deadline_problem(data: dict, now: datetime, lang: str) -> str | None:
    """Why a disposition ``deadline`` is not acceptable: a day before today in Tarakan (WITA)."""
    try:
        deadline = date.fromisoformat(data["deadline"])
    except (KeyError, TypeError, ValueError):
        return None  # absent or malformed: the schema reports the format
    if deadline < now.astimezone(WITA).date():
        return ("Batas waktu tidak boleh sebelum hari ini." if lang == "id"
                else "The deadline must not be before today.")
    return None
