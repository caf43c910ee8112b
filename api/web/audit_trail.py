"""The audit trail for people: each event a sentence in the page's language
with its data as labelled fields (labels and choice names from the step's
form), times in WITA, uploads as kind, size and hash, long values folded.
The raw trail stays in ``GET /api/v1/instances/{id}/events`` for staff."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import date_and_time, duration_words, long_date, monitoring_labels

from api.web.form_fields import fields as form_fields
from api.web.lang import page_lang
from api.web.sizes import size_words
from api.web.timeline import EVENT_WORDS, behalf_words, step_title

LONG_TEXT = 160  # characters shown before a value is folded
HASH = re.compile(r"^[0-9a-f]{40,128}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UPLOAD_KEYS = {"upload", "sha256", "chars"}
# Keys that only say how the system stored something: never a reader's business.
HIDDEN = {"operator", "document_id", "message_en", "stage", "provider", "step", "notified_role"}
# Labels of data no form describes (service results, letters, withdrawals).
LABELS = {
    "number": _l("Nomor surat"), "sha256": _l("Sidik SHA-256"), "signed_at": _l("Ditandatangani"),
    "signed_by": _l("Ditandatangani oleh"), "version": _l("Versi"), "checked_at": _l("Diperiksa"),
    "host_id": _l("ID akun host"), "host_name": _l("Akun host"), "status": _l("Status"),
    "channel": _l("Saluran"), "document": _l("Dokumen"), "message_id": _l("ID pesan"),
    "recipients": _l("Penerima"), "sent_at": _l("Dikirim"), "error_code": _l("Kode galat"),
    "message": _l("Pesan"), "code": _l("Kode"), "reason": _l("Alasan"), "outcome": _l("Hasil"),
    "start_at": _l("Mulai"), "old_start_at": _l("Jadwal lama"), "meeting_id": _l("ID rapat"),
    "incident": _l("Insiden"), "attempt": _l("Percobaan"), "decision": _l("Keputusan"),
    "instructions": _l("Instruksi"), "note": _l("Catatan"), "deadline": _l("Batas waktu"),
    "action": _l("Tindakan"), "result": _l("Hasil"), "detail": _l("Rincian"),
    "signed": _l("Tanda tangan elektronik"), "due": _l("Batas waktu"), "due_at": _l("Batas waktu"),
    "escalated_at": _l("Dieskalasi"), "notified": _l("Diberi tahu"), "expired_at": _l("Kedaluwarsa pada"),
    "meeting_start": _l("Jadwal rapat"), "standard": _l("Standar waktu"),
    "cancelled": _l("Rapat dibatalkan"), "updated": _l("Rapat diperbarui"), "deleted": _l("Rapat yang dihapus"),
    "already_gone": _l("Sudah tidak ada"), "action_needed": _l("Tindakan yang diperlukan"),
    "alternatives": _l("Waktu lain yang masih kosong"), "error": _l("Kesalahan"),
}
# Names of the coded values services record (schedule state, delivery channel).
VALUE_WORDS = {"free": _l("Jadwal kosong"), "full": _l("Jadwal penuh"), "outbox": _l("Berkas di kotak keluar"),
               "smtp": _l("Surel"), "no meeting": _l("Belum ada rapat yang dibuat"),
               # what staff must do by hand when the provider cannot (engine/services/meeting.py)
               "Staf mengubah waktu rapat di aplikasi Zoom": _l("Staf mengubah waktu rapat di aplikasi Zoom"),
               "Staf menghapus rapat di aplikasi Zoom": _l("Staf menghapus rapat di aplikasi Zoom")}
SENTENCES = {
    "instance_started": _l("%(who)s mengajukan permohonan"),
    "letter_approved": _l("%(who)s menyetujui rancangan surat tanggapan"),
    "letter_signed": _l("%(who)s menandatangani surat tanggapan"),
    "letter_rendered": _l("%(who)s menyiapkan dokumen surat (PDF)"),
    "letter_number_voided": _l("%(who)s membatalkan nomor surat"),
    "withdrawn": _l("%(who)s menarik permohonan"),
    "withdrawal_requested": _l("%(who)s meminta penarikan permohonan"),
    "meeting_rescheduled": _l("%(who)s memindah jadwal rapat"),
    "meeting_deleted": _l("%(who)s menghapus rapat Zoom"),
    "job_retried": _l("%(who)s mengulang layanan otomatis “%(step)s”"),
    "service_completed": _l("%(who)s menyelesaikan layanan otomatis “%(step)s”"),
    "reminder_sent": _l("%(who)s mengirim pengingat"),
    "request_expired": _l("Permohonan kedaluwarsa"),
    "timer_fired": _l("Batas waktu tercapai: “%(step)s”"),
    "escalated": _l("%(who)s mengirim eskalasi: “%(step)s”"),
}


@dataclass(frozen=True)
class Value:
    """One shown value: ``text``, ``hash`` (shortened, copyable), ``long`` (folded)
    or ``upload`` (kind and size in ``text``, its hash in ``full``)."""

    kind: str
    text: str
    full: str = ""

    @property
    def short(self) -> str:
        """A hash as its first and last characters."""
        value = self.full or self.text
        return f"{value[:8]}…{value[-4:]}" if len(value) > 14 else value


@dataclass(frozen=True)
class TrailEvent:
    """One event as the managers' page tells it."""

    seq: int
    sentence: str
    fields: list = field(default_factory=list)  # (label, Value) pairs
    step: object = None  # StepTime when the event ends a step


def who(username: str | None, positions: dict) -> str:
    """The doer in words: the account's position, the agency, or the system."""
    if not username or username.startswith("system"):
        return _("Sistem")
    if username in positions:
        return positions[username]
    if username.startswith("opd."):
        return _("OPD %(agency)s", agency=username[4:].upper())
    return username


def upload_size_words(chars: int, lang: str) -> str:
    """The decoded size of a base64 upload of ``chars`` characters, in words."""
    return size_words(int(chars) * 3 // 4, lang)


def value_of(raw, options: dict, lang: str) -> Value | None:
    """One raw value shown: choice names, WITA times, Indonesian dates, hashes."""
    if raw is None or raw == "" or raw == []:
        return None
    if isinstance(raw, bool):
        return Value("text", _("Ya") if raw else _("Tidak"))
    if isinstance(raw, dict) and UPLOAD_KEYS <= set(raw):
        kind = str(raw["upload"]).split(";")[0].split("/")[-1].upper()
        return Value("upload", f"{kind}, {upload_size_words(raw['chars'], lang)}", str(raw["sha256"]))
    if isinstance(raw, list):  # each item in words (a choice's name, a time in WITA), then joined
        items = [value_of(v, options, lang) for v in raw]
        return value_of(", ".join(item.text for item in items if item is not None), {}, lang)
    text = str(options.get(raw, raw)) if not isinstance(raw, dict) else str(raw)
    if DATETIME.match(text):
        return Value("text", date_and_time(text, lang))
    if DATE.match(text):
        return Value("text", long_date(text, lang))
    if HASH.match(text):
        return Value("hash", text, text)
    return Value("long", text) if len(text) > LONG_TEXT else Value("text", text)


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ").capitalize()))


def data_fields(data, form, lang: str, model_code: str | None = None) -> list[tuple[str, Value]]:
    """An event's data as (label, value) pairs in the form's order, then the rest
    (``model_code``: the BPMN error a failure threw, a name in the model that the
    failure's message says in words, so never shown)."""
    if not isinstance(data, dict):
        return []
    known = {f.name: f for f in form_fields(form.schema, form.ui_schema, lang)} if form else {}
    model_code = model_code or data.get("error_code")
    out: list[tuple[str, Value]] = []
    for key in [*known, *(k for k in data if k not in known)]:
        if key not in data or key in HIDDEN or (key == "error_code" and "detail" in data):
            continue  # a failure's detail names its code itself
        raw = data[key]
        if key == "code" and model_code and raw == model_code:
            continue
        if key == "message" and lang == "en" and data.get("message_en"):
            raw = data["message_en"]
        if isinstance(raw, dict) and not UPLOAD_KEYS <= set(raw):
            out.extend(data_fields(raw, None, lang, model_code))  # a service's result, flattened
            continue
        spec = known.get(key)
        if key == "standard" and isinstance(raw, str) and raw.startswith("P"):
            raw = duration_words(raw, lang)  # an ISO 8601 working-time standard in words
        value = value_of(raw, dict(spec.options) if spec else VALUE_WORDS, lang)
        if value is not None:
            out.append((spec.label if spec else _label(key), value))
    return out


def _step(entry, steps: dict) -> str:
    known = steps.get(entry.task)
    if known is not None:
        return step_title(known.title, known.title_en)
    return entry.task_name or entry.task or ""


def _decision(entry, form, lang: str) -> str:
    data = entry.data if isinstance(entry.data, dict) else {}
    if not form or "decision" not in data:
        return ""
    choices = {f.name: dict(f.options) for f in form_fields(form.schema, form.ui_schema, lang)}
    return str(choices.get("decision", {}).get(data["decision"], data["decision"]))


def headline(entry, steps: dict, form, positions: dict, lang: str) -> str:
    """What happened, as a sentence without its time."""
    doer, step = who(entry.actor, positions), _step(entry, steps)
    data = entry.data if isinstance(entry.data, dict) else {}
    if entry.type == "task_completed":
        decision = _decision(entry, form, lang)
        if decision:
            return _("%(who)s menyelesaikan “%(step)s”: %(decision)s", who=doer, step=step, decision=decision)
        return _("%(who)s menyelesaikan “%(step)s”", who=doer, step=step)
    if entry.type == "service_failed":
        detail = data.get("detail")
        if isinstance(detail, dict) and detail.get("provider") == "manual":  # by design: nothing failed
            return _("Rapat dibuat secara manual sesuai pengaturan: %(task)s", task=step)
        if data.get("error_code"):
            return _("Layanan otomatis tidak berhasil, proses beralih ke jalur cadangan: %(task)s", task=step)
        if data.get("incident"):
            return _("Layanan otomatis gagal dan menjadi insiden: %(task)s", task=step)
        return _("Layanan otomatis “%(step)s” gagal dan akan diulang", step=step)
    if entry.type == "instance_completed":
        return _("Permohonan selesai: %(outcome)s",
                 outcome=monitoring_labels.outcome(str(data.get("outcome", "")), lang))
    if entry.type in SENTENCES:
        return str(SENTENCES[entry.type]) % {"who": doer, "step": step}
    words = str(EVENT_WORDS.get(entry.type, entry.type.replace("_", " ").capitalize()))
    return _("%(who)s: %(what)s", who=doer, what=words)


def sentence(entry, steps: dict, form, positions: dict, lang: str) -> str:
    """The whole sentence: what, when (WITA) and on whose behalf."""
    parts = [headline(entry, steps, form, positions, lang), date_and_time(entry.at, lang)]
    behalf = behalf_words(entry.on_behalf_of, positions)
    if behalf:
        parts.append(behalf.rstrip("."))
    return ", ".join(parts) + "."


def trail(timeline, steps: dict, forms: dict, positions: dict) -> list[TrailEvent]:
    """The managers' timeline entries told for people, oldest first."""
    lang = page_lang()
    out = []
    for entry in timeline:
        form = forms.get(entry.task) if entry.type in ("task_completed", "instance_started") else None
        data = {} if entry.type == "instance_completed" else entry.data
        out.append(TrailEvent(entry.seq, sentence(entry, steps, form, positions, lang),
                              data_fields(data, form, lang), entry.step))
    return out
