"""Dates and times as people in Tarakan read them, in WITA: the one home of
the zone, the Indonesian and English month and day names and their formats,
for letters, messages, recaps and pages alike."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import overload

WITA = timezone(timedelta(hours=8), "WITA")  # Waktu Indonesia Tengah: no daylight saving
WITA_ZONE_ID = "Asia/Makassar"  # the zone database's name for WITA (calendar invitations carry it)
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
MONTH_NAMES = {"id": MONTHS, "en": MONTHS_EN}


def local(moment: datetime) -> datetime:
    """``moment`` (aware) in WITA."""
    return moment.astimezone(WITA)


@overload
def to_wita(value: datetime) -> datetime: ...
@overload
def to_wita(value: object) -> datetime | None: ...


def to_wita(value: object) -> datetime | None:
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


def month_names(lang: str = "id") -> tuple[str, ...]:
    """The twelve month names in ``lang`` (Indonesian unless ``en``)."""
    return MONTHS_EN if lang == "en" else MONTHS


def long_date(value, lang: str = "id") -> str:
    """``7 Desember 2026`` (``7 December 2026``) for a date, datetime (its WITA
    day) or ISO date text (returned as written when it is not a date)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = to_wita(value)
    if not isinstance(value, date):
        return ""
    return f"{value.day} {month_names(lang)[value.month - 1]} {value.year}"


def month_year(day: date | datetime) -> str:
    """``Desember 2026`` (a draft letter's date, whose day is filled at signing)."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{MONTHS[day.month - 1]} {day.year}"


def day_and_date(moment: datetime) -> str:
    """``Rabu, 9 Desember 2026``."""
    moment = local(moment)
    return f"{DAYS[moment.weekday()]}, {long_date(moment.date())}"


def clock(moment: datetime) -> str:
    """``10.00`` (hours and minutes, WITA)."""
    return f"{local(moment):%H.%M}"


def long_datetime(moment: datetime, lang: str = "id") -> str:
    """``Senin, 7 Desember 2026 pukul 09.00 WITA`` (``Monday 07 December 2026, 09:00 WITA``)."""
    local_moment = local(moment)
    if lang != "id":
        return (f"{DAYS_EN[local_moment.weekday()]} {local_moment:%d} {MONTHS_EN[local_moment.month - 1]} "
                f"{local_moment.year}, {local_moment:%H:%M} WITA")
    return f"{day_and_date(local_moment)} pukul {clock(local_moment)} WITA"


def date_and_time(value, lang: str = "id") -> str:
    """``7 Desember 2026 pukul 09.00 WITA`` (``7 December 2026 at 09:00 WITA``) for a
    datetime or ISO text, without the day's name (lists and pages)."""
    moment = to_wita(value)
    if moment is None:
        return "" if value is None else str(value)
    if lang == "en":
        return f"{long_date(moment, lang)} at {moment:%H:%M} WITA"
    return f"{long_date(moment)} pukul {moment:%H.%M} WITA"
