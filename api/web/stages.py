"""Where a request stands, in plain words (Indonesian, or English when chosen)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

OUTCOMES = {
    "fulfilled": _l("Selesai: rapat Zoom dibuat dan surat tanggapan dikirim"),
    "schedule_full": _l("Selesai: jadwal penuh, tidak ada akun Zoom yang tersedia"),
    "rejected": _l("Ditolak"),
    "withdrawn": _l("Ditarik oleh OPD"),
    "expired": _l("Kedaluwarsa: waktu rapat sudah lewat"),
}
# The SOP's lanes in words; a lane of another process reads as "waiting for <lane>".
LANES = {
    "OPD": _l("Menunggu tindakan OPD pemohon"),
    "Kadis": _l("Menunggu disposisi Kepala Dinas"),
    "Kabid": _l("Di Kepala Bidang"),
    "Subkoordinator": _l("Di Subkoordinator"),
    "Staf": _l("Sedang dikerjakan Staf"),
}
STATUSES = {"running": _l("Sedang diproses"), "completed": _l("Selesai"),
            "error": _l("Terhambat: menunggu administrator"), "cancelled": _l("Dibatalkan")}


def stage_words(summary, tasks) -> str:
    """The stage of a request: its outcome once ended, else who it waits for."""
    if summary.outcome in OUTCOMES:
        return str(OUTCOMES[summary.outcome])
    if summary.status == "running" and tasks:
        task = tasks[0]
        waiting = (LANES.get(task.lane) or _("Menunggu %(lane)s", lane=task.lane)) if task.lane \
            else STATUSES["running"]
        return f"{waiting} ({task.title})"
    if summary.status == "running":
        return _("Sedang diproses sistem (pembuatan rapat atau pengiriman surat)")
    return str(STATUSES.get(summary.status, summary.status))
