"""Dates, times and names as an Indonesian official letter writes them (WITA)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# Agencies whose head is not called "Kepala ...": (name prefix, head's title prefix).
HEADS = (("Sekretariat Daerah", "Sekretaris Daerah"),
         ("Sekretariat DPRD", "Sekretaris DPRD"),
         ("Sekretariat Dewan Perwakilan Rakyat Daerah", "Sekretaris Dewan Perwakilan Rakyat Daerah"),
         ("Inspektorat", "Inspektur"),
         ("Kecamatan", "Camat"),
         ("Kelurahan", "Lurah"),
         ("Rumah Sakit", "Direktur Rumah Sakit"))


def local(moment: datetime) -> datetime:
    """``moment`` in WITA."""
    return moment.astimezone(WITA)


def long_date(day: date | datetime) -> str:
    """``7 Desember 2026``."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: date | datetime) -> str:
    """``Desember 2026`` (a draft's date, whose day is filled at signing)."""
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


def time_range(start: datetime, minutes: int) -> str:
    """``10.00 s.d. 11.30 WITA``."""
    return f"{clock(start)} s.d. {clock(start + timedelta(minutes=minutes))} WITA"


def slot(start: datetime) -> str:
    """``Rabu, 9 Desember 2026 pukul 10.00 WITA`` (an alternative slot)."""
    return f"{day_and_date(start)} pukul {clock(start)} WITA"


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
