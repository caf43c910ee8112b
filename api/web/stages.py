"""Where a request stands, in plain words (Indonesian, or English when chosen):
the engine names the stage; the outcome and status names serve the filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from api.web.lang import page_lang

OUTCOMES = {
    "fulfilled": _l("Selesai: rapat Zoom dibuat dan surat tanggapan dikirim"),
    "schedule_full": _l("Selesai: jadwal penuh, tidak ada akun Zoom yang tersedia"),
    "rejected": _l("Ditolak"),
    "withdrawn": _l("Ditarik oleh OPD"),
    "expired": _l("Kedaluwarsa: waktu rapat sudah lewat"),
}
STATUSES = {"running": _l("Sedang diproses"), "completed": _l("Selesai"),
            "error": _l("Terhambat: menunggu administrator"), "cancelled": _l("Dibatalkan")}


def stage_words(view, _tasks=None) -> str:
    """The stage of a request (a summary, or the tracking view) in the page's
    language, as the engine names it (``engine.requests.stages``); the tasks some
    callers pass are already in it."""
    stage = getattr(view, "stage", None)
    if stage is None:
        return str(STATUSES.get(view.status, view.status))
    return stage.words(page_lang())
