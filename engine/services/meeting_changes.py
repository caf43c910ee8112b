"""``meeting/reschedule``: move a created meeting at the provider and tell the
agency. Run by the worker for a change staff asked for (``Engine.reschedule_meeting``)."""
from __future__ import annotations

from datetime import datetime

from engine.calendar.dates import long_datetime


def rescheduled_notice(request: dict, previous_start: str, start_at: str, duration_minutes: int,
                       reason: str) -> str:
    """The text of the notice that the meeting moved."""
    lines = ["PEMBERITAHUAN PERUBAHAN JADWAL ZOOM MEETING", "",
             f"Hal            : {request.get('topic', '')}",
             f"Surat Saudara nomor {request.get('letter_number', '')} tanggal {request.get('letter_date', '')}",
             f"Waktu semula   : {long_datetime(datetime.fromisoformat(previous_start))}",
             f"Waktu baru     : {long_datetime(datetime.fromisoformat(start_at))}, {duration_minutes} menit"]
    if reason:
        lines.append(f"Alasan         : {reason}")
    lines += ["", "ID rapat, kode sandi dan tautan Zoom Meeting tidak berubah.",
              "Mohon sampaikan perubahan ini kepada para peserta."]
    return "\n".join(lines) + "\n"


def reschedule_meeting(ctx, meeting: dict, start_at: str, duration_minutes: int, previous_start_at: str,
                       reason: str = "") -> dict:
    """Operator ``meeting/reschedule``: the provider moves the meeting, the agency gets a notice."""
    provider = ctx.ports.meeting_provider
    moved = provider.reschedule(meeting=meeting, start_at=start_at, duration_minutes=int(duration_minutes),
                                idempotency_key=ctx.idempotency_key)
    text = rescheduled_notice(ctx.data.get("request") or {}, previous_start_at, start_at,
                              int(duration_minutes), reason)
    document = ctx.ports.outbox.write("jadwal_diubah", ctx.idempotency_key, text)
    return dict(moved, provider=provider.name, start_at=start_at, duration_minutes=int(duration_minutes),
                notice={"channel": "outbox", "document": document, "sent_at": ctx.now.isoformat()})
