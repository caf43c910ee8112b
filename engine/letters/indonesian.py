"""Dates, times and names as an Indonesian official letter writes them (WITA).
The zone, the names and the date formats live in ``engine.calendar.dates``."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from engine.calendar.dates import clock, day_and_date, local, long_date, long_datetime, month_year

__all__ = ["clock", "day_and_date", "group_meeting_id", "head_of", "local", "long_date", "month_year",
           "roman_month", "slot", "time_range"]
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Agencies whose head is not called "Kepala ...": (name prefix, head's title prefix).
HEADS = (("Sekretariat Daerah", "Sekretaris Daerah"),
         ("Sekretariat DPRD", "Sekretaris DPRD"),
         ("Sekretariat Dewan Perwakilan Rakyat Daerah", "Sekretaris Dewan Perwakilan Rakyat Daerah"),
         ("Inspektorat", "Inspektur"),
         ("Kecamatan", "Camat"),
         ("Kelurahan", "Lurah"),
         ("Rumah Sakit", "Direktur Rumah Sakit"))


def time_range(start: datetime, minutes: int) -> str:
    """``10.00 s.d. 11.30 WITA``."""
    return f"{clock(start)} s.d. {clock(start + timedelta(minutes=minutes))} WITA"


def slot(start: datetime) -> str:
    """``Rabu, 9 Desember 2026 pukul 10.00 WITA`` (an alternative slot)."""
    return long_datetime(start, "id")


def roman_month(day: date | datetime) -> str:
    """The month in Roman numerals (``XII``), as some number formats use."""
    return ROMAN[day.month - 1]


def group_meeting_id(meeting_id) -> str:
    """``123 4567 8901`` from ``12345678901`` (``123 456 7890`` for ten digits)."""
    digits = "".join(ch for ch in str(meeting_id or "") if ch.isdigit())
    if len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if len(digits) == 10:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return str(meeting_id or "")


def head_of(agency_name: str) -> str:
    """The title of an agency's head: ``Kepala Dinas Kesehatan Kota Tarakan``,
    ``Sekretaris Daerah Kota Tarakan``, ``Camat Tarakan Barat``."""
    name = " ".join((agency_name or "").split())
    for prefix, title in HEADS:
        if name.lower().startswith(prefix.lower()):
            return f"{title}{name[len(prefix):]}"
    return f"Kepala {name}" if name else ""
