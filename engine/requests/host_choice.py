"""The host account Staf names on the manual meeting task: the one the
schedule check booked, or another registered account that is free at the
meeting's time (the meeting record and booking then follow it). Anything else is refused on
the field, saying which account was booked."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engine.services.schedule import host_is_free
from engine.storage.models import HostAccount

FIELD = "host_email"
DEFAULT_MINUTES = 60


def host_problem(kernel, session, instance, form, data: dict, lang: str = "id") -> str | None:
    """Why the named host cannot take the meeting; None when it can (or none is
    named). A free other host is written into ``data`` as ``host_id``: the
    meeting record, and with it the booking, follow it."""
    email = (data.get(FIELD) or "").strip()
    schedule = (instance.facts or {}).get("schedule") or {}
    if FIELD not in form.schema.get("properties", {}) or not email or instance.meeting_start is None:
        return None
    row = session.scalar(select(HostAccount).where(func.lower(HostAccount.email) == email.lower(),
                                                   HostAccount.active.is_(True)))
    booked = schedule.get("host_name") or schedule.get("host_id") or "-"
    if row is None:
        return (f"Bukan akun host yang terdaftar. Pemeriksaan jadwal memesan akun {booked}." if lang == "id" else
                f"Not a registered host account. The schedule check booked {booked}.")
    if row.id == schedule.get("host_id"):
        return None
    port = kernel.ports(session).schedule
    request = (instance.facts or {}).get("request") or {}
    start = instance.meeting_start
    end = start + timedelta(minutes=int(request.get("duration_minutes") or DEFAULT_MINUTES))
    hosts, bookings = port.hosts_and_bookings(start - timedelta(days=1), end + timedelta(days=1))
    host = next((h for h in hosts if h.id == row.id), None)
    if host is None or not host_is_free(host, bookings, start, end, int(request.get("participants") or 1),
                                        port.buffer(), instance.id):
        return (f"Akun {row.name} sudah terpakai pada waktu rapat ini. Pemeriksaan jadwal memesan akun {booked}."
                if lang == "id" else
                f"The account {row.name} is taken at this meeting's time. The schedule check booked {booked}.")
    data["host_id"] = row.id
    return None
