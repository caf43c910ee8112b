"""An audit trail as a timeline people can read."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from api.web.lang import page_lang

EVENT_WORDS = {
    "instance_started": _l("Permohonan diajukan"),
    "task_completed": _l("Tugas diselesaikan"),
    "instance_completed": _l("Permohonan selesai"),
    "withdrawn": _l("Permohonan ditarik"),
    "job_retried": _l("Layanan diulang oleh administrator"),
    "withdrawal_requested": _l("OPD menarik permohonan"),
    "letter_approved": _l("Surat tanggapan disetujui"),
    "letter_signed": _l("Surat tanggapan ditandatangani"),
    "letter_number_voided": _l("Nomor surat dibatalkan"),
    "meeting_deleted": _l("Rapat Zoom dihapus"),
    "meeting_rescheduled": _l("Jadwal rapat dipindah"),
    "reminder_sent": _l("Pengingat dikirim"),
    "request_expired": _l("Permohonan kedaluwarsa"),
    "service_failed": _l("Layanan otomatis gagal (akan diulang)"),
    "service_completed": _l("Layanan otomatis selesai"),
    "letter_rendered": _l("Dokumen surat (PDF) disiapkan"),
    "timer_fired": _l("Batas waktu langkah tercapai"),
    "escalated": _l("Eskalasi dikirim kepada atasan"),
    "instance_migrated": _l("Permohonan dipindah ke versi proses yang baru"),
}
AGENCY_ROLE = "opd"
# The system's own service steps, their retries and the letter's layouts: the agency sees their
# results instead (the letter signed and sent).
INTERNAL_EVENTS = ("service_completed", "service_failed", "job_retried", "reminder_sent", "letter_rendered")
# What a reader needs from an event's data (the request itself is shown above the timeline).
DETAIL_WORDS = {"decision": _l("Keputusan"), "instructions": _l("Instruksi"), "note": _l("Catatan"),
                "deadline": _l("Batas waktu"), "reason": _l("Alasan"), "action": _l("Tindakan")}
# The stored choice values of decisions and actions, in words (never the raw value)
VALUE_WORDS = {"forward": _l("Diteruskan"), "return": _l("Dikembalikan"), "reject": _l("Ditolak"),
               "approve": _l("Disetujui"), "reschedule": _l("Mengajukan waktu baru"),
               "decline": _l("Mengakhiri permohonan"), "resubmit": _l("Mengirim ulang permohonan"),
               "withdraw": _l("Membatalkan permohonan")}
CHOICES = ("decision", "action")
# A letter's approval and signature are the result of their review step, recorded in the same
# command: the timeline shows one entry per decision, named for what happened.
LETTER_DECISIONS = ("letter_approved", "letter_signed")
FAILURE_WORDS = {"retry": _l("Layanan otomatis gagal (akan diulang)"),
                 "incident": _l("Layanan otomatis gagal; menunggu tindakan administrator"),
                 "backup": _l("Layanan otomatis tidak berhasil; proses beralih ke langkah cadangan"),
                 "manual": _l("Rapat dibuat secara manual: diserahkan kepada Staf")}
RENDERED_WORDS = {"konsep": _l("Konsep surat tanggapan (PDF) disiapkan"),
                  "final": _l("Surat tanggapan bertanda tangan (PDF) disiapkan")}


def step_title(title: str, title_en: str | None = None) -> str:
    """A step's name in the page's language: the model's ``nameEn`` on English
    pages when it has one, else its name."""
    return title_en if title_en and page_lang() == "en" else title


def _failure_words(data) -> str:
    """A failed service step as what came of it: retried, handed to its backup path (by
    design when meetings are made by hand), or an incident for an administrator."""
    data = data if isinstance(data, dict) else {}
    if data.get("error_code"):
        manual = (data.get("detail") or {}).get("provider") == "manual"
        return FAILURE_WORDS["manual" if manual else "backup"]
    return FAILURE_WORDS["incident" if data.get("incident") else "retry"]


def _words(event, steps: dict) -> str:
    if event.type == "service_failed":
        return _failure_words(event.data)
    if event.type == "letter_rendered" and isinstance(event.data, dict) and event.data.get("stage") in RENDERED_WORDS:
        return RENDERED_WORDS[event.data["stage"]]
    step = steps.get(event.task) if event.type == "task_completed" else None
    if step is not None:
        return step_title(step.title, step.title_en)
    if event.type in EVENT_WORDS:
        return EVENT_WORDS[event.type]
    return event.type.replace("_", " ").capitalize()


def _details(data, choices: dict) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        return []
    out = []
    for key, label in DETAIL_WORDS.items():
        value = data.get(key)
        if isinstance(value, list):
            value = ", ".join(choices.get(str(v), str(v)) for v in value)
        if key in CHOICES and value in VALUE_WORDS:
            value = str(VALUE_WORDS[value])
        if isinstance(value, (str, int, float)) and str(value).strip():
            out.append((str(label), str(value)))
    return out


def behalf_words(on_behalf_of: str | None, positions: dict) -> str | None:
    """For whom an event was done: "Plt. <position>" when a deputy completed an
    official's task, the agency when the secretariat registered its request."""
    if not on_behalf_of:
        return None
    if on_behalf_of.startswith("agency:"):
        return _("didaftarkan sekretariat atas nama %(agency)s", agency=on_behalf_of[7:].upper())
    position = positions.get(on_behalf_of, on_behalf_of)
    return _("a.n. %(position)s, selaku Plt.", position=position)


def behalf_by_step(events, positions: dict, steps: dict) -> dict[str, str]:
    """For each step (its result variable, as dispositions name it) last done
    by an acting official, the "a.n." words to show beside it; ``steps`` are
    the model's StepViews by element id."""
    found = {}
    for event in events:
        known = steps.get(event.task) if event.type == "task_completed" else None
        step = known.variable if known else None
        if step:
            words = behalf_words(event.on_behalf_of, positions)
            found[step] = words
    return {step: words for step, words in found.items() if words}


def agency_lanes(steps: dict) -> set:
    """The lanes of the model the requesting agency works (role ``opd``)."""
    return {step.lane for step in steps.values() if step.role == AGENCY_ROLE and step.lane}


def timeline(events, staff: bool, positions: dict | None = None, steps: dict | None = None,
             choices: dict | None = None) -> list[dict]:
    """Events as ``{at, words, actor, lane, details, behalf}``, oldest first; a completed
    task reads as its step's name in the model (``steps``: StepViews by element id),
    stored choices by their names (``choices``: value -> name in the page's language). An
    agency sees the details of its own lanes' steps only (Diskominfo's internal notes and
    service retries stay inside)."""
    steps = steps or {}
    own = agency_lanes(steps)
    decided = {(e.task, e.at): e.type for e in events if e.type in LETTER_DECISIONS}
    entries = []
    for e in events:
        if e.type in LETTER_DECISIONS or not (staff or e.type not in INTERNAL_EVENTS):
            continue
        entry = {"at": e.at, "words": _words(e, steps), "actor": e.actor, "lane": e.lane,
                 "behalf": behalf_words(e.on_behalf_of, positions or {}),
                 "details": _details(e.data, choices or {}) if staff or e.lane in own else []}
        letter = decided.get((e.task, e.at)) if e.type == "task_completed" else None
        if letter is not None:  # the step's decision is the letter's approval or signature
            entry["words"] = EVENT_WORDS[letter]
            entry["details"] = [d for d in entry["details"] if d[0] != str(DETAIL_WORDS["decision"])]
        entries.append(entry)
    return entries
