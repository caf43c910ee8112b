"""Dates and times as Indonesian officials write them, in WITA."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8), "WITA")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_datetime(moment: datetime, lang: str = "id") -> str:
    """``Senin, 7 Desember 2026 pukul 09.00 WITA`` (or its English form)."""
    local = moment.astimezone(WITA)
    if lang != "id":
        return f"{DAYS_EN[local.weekday()]} {local:%d %B %Y, %H:%M} WITA"
    return f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} pukul {local:%H.%M} WITA"
