"""An audit trail as a timeline people can read."""
from __future__ import annotations

EVENT_WORDS = {
    "instance_started": "Permohonan diajukan",
    "task_completed": "Tugas diselesaikan",
    "instance_completed": "Permohonan selesai",
    "withdrawn": "Permohonan ditarik",
    "job_retried": "Layanan diulang oleh administrator",
    "withdrawal_requested": "OPD menarik permohonan",
    "letter_approved": "Surat tanggapan disetujui",
    "letter_signed": "Surat tanggapan ditandatangani",
    "letter_number_voided": "Nomor surat dibatalkan",
    "meeting_deleted": "Rapat Zoom dihapus",
    "meeting_rescheduled": "Jadwal rapat dipindah",
    "reminder_sent": "Pengingat dikirim",
    "request_expired": "Permohonan kedaluwarsa",
    "service_failed": "Layanan otomatis gagal (akan diulang)",
}
TASK_WORDS = {
    "T01_complete_request": "OPD melengkapi permohonan",
    "T02_disposition_kadis": "Disposisi Kepala Dinas",
    "T03_disposition_kabid": "Disposisi Kepala Bidang",
    "T04_choose_alternative": "OPD memilih waktu alternatif",
    "T04_disposition_staf": "Disposisi Subkoordinator ke Staf",
    "T05_enter_meeting_details": "Staf memasukkan detail rapat",
    "T06_report_meeting": "Staf melaporkan ID dan kata sandi rapat",
    "T07_draft_letter": "Staf menyusun draf surat tanggapan",
    "T08_review_draft": "Pemeriksaan draf surat",
    "T09_sign_letter": "Kepala Dinas menandatangani surat",
    "T10_acknowledge_receipt": "OPD menerima surat tanggapan",
}
HIDDEN_KEYS = ("letter_file", "start_url")  # bulky uploads, the host's own link


def _words(event) -> str:
    if event.type == "task_completed" and event.task in TASK_WORDS:
        return TASK_WORDS[event.task]
    if event.type in EVENT_WORDS:
        return EVENT_WORDS[event.type]
    return event.type.replace("_", " ").capitalize()


def _details(data) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    out = []
    for key, value in data.items():
        if key in HIDDEN_KEYS or isinstance(value, (dict, list)) and not value:
            continue
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, dict):
            continue
        out.append((key, str(value)))
    return out[:8]


def timeline(events, staff: bool) -> list[dict]:
    """Events as ``{at, words, actor, lane, details}``, oldest first; an agency sees
    the details of its own steps only (Diskominfo's internal notes stay inside)."""
    return [{"at": e.at, "words": _words(e), "actor": e.actor, "lane": e.lane,
             "details": _details(e.data) if staff or e.lane == "OPD" else []} for e in events]
