"""``letter/dispatch`` (SOP step 9) and ``notice/schedule_full`` (step 4, full).

At this stage a letter is a text document written to the outbox; the file
name is derived from the idempotency key, so a retried call rewrites the same
file instead of sending twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8))
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def indonesian_datetime(value: str) -> str:
    """``Senin, 7 Desember 2026 pukul 09.00 WITA`` from an ISO date-time."""
    local = datetime.fromisoformat(value).astimezone(WITA)
    return (f"{DAYS[local.weekday()]}, {local.day} {MONTHS[local.month - 1]} {local.year} "
            f"pukul {local:%H.%M} WITA")


def group_meeting_id(meeting_id: str) -> str:
    """``123 4567 8901`` from ``12345678901``."""
    digits = "".join(ch for ch in str(meeting_id) if ch.isdigit())
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}" if len(digits) == 11 else \
        f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _request_lines(request: dict) -> list[str]:
    return [f"Hal        : {request.get('topic', '')}",
            f"Surat Saudara nomor {request.get('letter_number', '')} tanggal {request.get('letter_date', '')}",
            f"Waktu      : {indonesian_datetime(request['start_at'])}, {request.get('duration_minutes')} menit"]


def response_letter(data: dict) -> str:
    """The text of the response letter (Surat Tanggapan) for a fulfilled request."""
    request, meeting = data.get("request", {}), data.get("meeting", {})
    draft = data.get("letter_draft", {})
    lines = ["SURAT TANGGAPAN", f"Hal: {draft.get('subject', 'Fasilitasi Zoom Meeting')}", ""]
    lines += _request_lines(request)
    lines += ["", draft.get("body") or "Bersama ini kami sampaikan rincian Zoom Meeting sebagai berikut:",
              f"ID rapat   : {group_meeting_id(meeting.get('meeting_id', ''))}",
              f"Kode sandi : {meeting.get('passcode', '')}",
              f"Tautan     : {meeting.get('join_url', '')}", ""]
    return "\n".join(lines)


def schedule_full_notice(data: dict) -> str:
    """The text of the notice that the schedule is full, with alternative slots."""
    request, schedule = data.get("request", {}), data.get("schedule", {})
    lines = ["PEMBERITAHUAN JADWAL PENUH", ""] + _request_lines(request)
    lines += ["", "Mohon maaf, seluruh akun Zoom kami telah terjadwal pada waktu tersebut."]
    slots = schedule.get("alternatives") or []
    if slots:
        lines.append("Waktu alternatif yang masih tersedia:")
        lines += [f"- {indonesian_datetime(slot)}" for slot in slots]
    return "\n".join(lines) + "\n"


def expired_notice(data: dict) -> str:
    """The text of the notice that a request expired before it was fulfilled."""
    lines = ["PEMBERITAHUAN PERMOHONAN KEDALUWARSA", ""] + _request_lines(data.get("request", {}))
    lines += ["", "Waktu rapat telah terlewati sebelum permohonan selesai diproses.",
              "Silakan ajukan permohonan baru bila rapat masih diperlukan."]
    return "\n".join(lines) + "\n"


def notify_expired(ctx) -> dict:
    """Operator ``notice/expired``: tell the agency its request expired."""
    path = ctx.ports.outbox.write("kedaluwarsa", ctx.idempotency_key, expired_notice(ctx.data))
    return {"channel": "outbox", "document": path, "sent_at": ctx.now.isoformat()}


def dispatch_letter(ctx) -> dict:
    """Operator ``letter/dispatch``: send the response letter to the agency."""
    path = ctx.ports.outbox.write("surat_tanggapan", ctx.idempotency_key, response_letter(ctx.data))
    return {"channel": "outbox", "document": path, "sent_at": ctx.now.isoformat()}


def notify_schedule_full(ctx) -> dict:
    """Operator ``notice/schedule_full``: tell the agency the schedule is full."""
    path = ctx.ports.outbox.write("jadwal_penuh", ctx.idempotency_key, schedule_full_notice(ctx.data))
    return {"channel": "outbox", "document": path, "sent_at": ctx.now.isoformat()}
