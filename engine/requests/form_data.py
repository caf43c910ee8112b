"""A form's data as a command accepts it: defaults filled, the JSON Schema
checked, then the server's own rules (a meeting start in the future and after
the lead time, a deadline judged by the engine's clock)."""
from __future__ import annotations

from datetime import datetime

from engine.calendar.dates import long_datetime
from engine.definitions import form_rules
from engine.definitions.forms import fill_defaults, message, validate
from engine.errors import InvalidData


def checked(kernel, form, data, current, lang: str) -> dict:
    """``data`` with the form's defaults filled in; InvalidData names every wrong field."""
    if not isinstance(data, dict):
        raise InvalidData({"data": [message("type", lang, expected="objek" if lang == "id" else "object")]})
    data = fill_defaults(form, data, current)
    errors = validate(form, data, lang)
    properties = form.schema.get("properties", {})
    if "start_at" in properties and "start_at" not in errors:
        problem = start_problem(kernel, meeting_start(data), lang)
        if problem:
            errors["start_at"] = [problem]
    if "deadline" in properties and "deadline" not in errors:
        problem = form_rules.deadline_problem(data, kernel.clock.now(), lang)
        if problem:
            errors["deadline"] = [problem]
    if errors:
        raise InvalidData(errors)
    return data


def start_problem(kernel, start: datetime | None, lang: str) -> str | None:
    """Why a meeting start is not acceptable: past, or inside the lead time."""
    if start is None:
        return None
    now = kernel.clock.now()
    if start <= now:
        return "Waktu mulai harus di masa depan." if lang == "id" else "The start must be in the future."
    settings = kernel.settings
    earliest = kernel.calendar.deadline(now, settings.lead_time)
    if start < earliest:
        when = long_datetime(earliest, lang)
        return (f"Permohonan harus diajukan paling lambat {settings.lead_time_label} sebelum rapat; "
                f"waktu mulai paling cepat {when}." if lang == "id" else
                f"Requests must come {settings.lead_time_label_en} before the meeting; "
                f"the earliest start is {when}.")
    return None


def meeting_start(data: dict) -> datetime | None:
    """The form's ``start_at`` as a datetime, None when absent or not a date-time."""
    try:
        return datetime.fromisoformat(data["start_at"])
    except (KeyError, TypeError, ValueError):
        return None
