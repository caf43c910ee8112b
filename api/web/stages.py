"""Where a request stands, in plain Indonesian words."""
from __future__ import annotations

OUTCOMES = {
    "fulfilled": "Selesai: rapat Zoom dibuat dan surat tanggapan dikirim",
    "schedule_full": "Selesai: jadwal penuh, tidak ada akun Zoom yang tersedia",
    "rejected": "Ditolak",
    "withdrawn": "Ditarik oleh OPD",
    "expired": "Kedaluwarsa: waktu rapat sudah lewat",
}
LANES = {
    "OPD": "Menunggu tindakan OPD pemohon",
    "Kadis": "Menunggu disposisi Kepala Dinas",
    "Kabid": "Di Kepala Bidang",
    "Subkoordinator": "Di Subkoordinator",
    "Staf": "Sedang dikerjakan Staf",
}
STATUSES = {"running": "Sedang diproses", "completed": "Selesai", "error": "Terhambat: menunggu "
            "administrator", "cancelled": "Dibatalkan"}


def stage_words(summary, tasks) -> str:
    """The stage of a request: its outcome once ended, else who it waits for."""
    if summary.outcome in OUTCOMES:
        return OUTCOMES[summary.outcome]
    if summary.status == "running" and tasks:
        task = tasks[0]
        return f"{LANES.get(task.lane, 'Sedang diproses')} ({task.title})"
    if summary.status == "running":
        return "Sedang diproses sistem (pembuatan rapat atau pengiriman surat)"
    return STATUSES.get(summary.status, summary.status)
