"""The facts of an instance: what views show of its workflow's data, stored
beside its state by the unit of work so lists never deserialize workflows."""
from __future__ import annotations

KONSEP = "konsep"  # the konsep laid out last (its version, document and hash): the worker records it
KEPT = (KONSEP,)  # facts no step's data makes: each command keeps them as they were

DISPOSITION_VARIABLES = ("disposition_kadis", "disposition_kabid", "disposition_subkoordinator",
                         "review_kabid", "review_kadis")
REQUEST_SUMMARY_EXCLUDES = ("letter_file",)


def request_summary(data: dict) -> dict:
    """The request's data without bulky uploads (their presence is kept)."""
    request = dict(data.get("request") or {})
    for key in REQUEST_SUMMARY_EXCLUDES:
        if key in request:
            request[key] = {"attached": True, "bytes": decoded_size(request[key])}
    return request


def decoded_size(data_url: str) -> int:
    """The bytes a base64 data URL (``data:application/pdf;base64,...``) decodes to."""
    payload = str(data_url).split(",", 1)[-1]
    return len(payload) * 3 // 4 - payload[-2:].count("=")


def dispositions(data: dict) -> list[dict]:
    """Decisions made so far, as data (latest of each step)."""
    return [dict(data[v], step=v) for v in DISPOSITION_VARIABLES if isinstance(data.get(v), dict)]


LETTER_RESULTS = {"dispatch": "surat_tanggapan", "notice": "jadwal_penuh", "expiry_notice": "kedaluwarsa",
                  "reschedule_notice": "jadwal_diubah"}


MEETING_EXTRAS = ("start_url", "start_at", "duration_minutes")  # the start link is for staff only


def _meeting_of(data: dict) -> dict | None:
    meeting = data.get("meeting")
    if not isinstance(meeting, dict) or not meeting.get("meeting_id"):
        return None
    host = meeting.get("host_id") or (data.get("schedule") or {}).get("host_id")
    view = {"provider": meeting.get("provider", "manual"), "meeting_id": str(meeting["meeting_id"]),
            "passcode": meeting.get("passcode"), "join_url": meeting.get("join_url"), "host_id": host}
    view.update({k: meeting[k] for k in MEETING_EXTRAS if meeting.get(k)})
    return view


def _letters_of(data: dict) -> list[dict]:
    return [{"kind": kind, "document": data[v]["document"], "channel": data[v].get("channel", "outbox"),
             "sent_at": data[v]["sent_at"], "id": data[v].get("document_id"), "number": data[v].get("number")}
            for v, kind in LETTER_RESULTS.items() if isinstance(data.get(v), dict) and data[v].get("document")]


def facts_of(data: dict, agency: str | None = None) -> dict:
    """What views show of an instance's data, stored beside its state."""
    return {"request": request_summary(data), "schedule": data.get("schedule"),
            "dispositions": dispositions(data), "meeting": _meeting_of(data),
            "letters": _letters_of(data), "agency": agency, "meeting_error": _meeting_error_of(data)}


def _meeting_error_of(data: dict) -> dict | None:
    """Why the meeting could not be made automatically (Staf's manual task shows it)."""
    error = data.get("meeting_error")
    if not isinstance(error, dict) or not error.get("message"):
        return None
    if error.get("provider") == "manual":  # made by hand by design: nothing failed
        return None
    return {"message": error["message"], "message_en": error.get("message_en")}
