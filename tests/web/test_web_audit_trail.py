"""The managers' audit trail told for people: each event type as a sentence in
both languages, its data labelled from the form, times in WITA (never UTC),
uploads and hashes shortened with the full value on request."""
from __future__ import annotations

import base64
import hashlib
import html
import re

import pytest

from engine import Worker
from tests.conftest import future_request
from tests.web.sop_steps import complete_step as _complete, STEPS

PDF = b"%PDF-1.4\n% vicon audit trail test\n%%EOF\n"


@pytest.fixture
def fulfilled(pages, clock):
    """A request walked from submission to receipt, with a PDF letter uploaded."""
    engine = pages("manager").engine
    letter = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    view = engine.start("zoom_meeting_request", future_request(clock, letter_file=letter), engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    for element, user, data in STEPS:
        clock.advance(minutes=30)
        _complete(engine, view.summary.id, element, user, data)
    return view.summary.id


def _trail(body: str) -> list[str]:
    """The trail's sentences, as text."""
    return [html.unescape(s) for s in re.findall(r'<p class="sentence">(.*?)</p>', body, re.S)]


def _section(body: str) -> str:
    """The trail's markup only (the page also embeds the BPMN source for the diagram)."""
    start = body.index('<ol class="trail">')
    return html.unescape(body[start:body.index("</ol>", start)])


def _english(manager):
    manager.submit("/bahasa", {"lang": "en", "next": "/pemantauan/permohonan"}, page="/pemantauan/permohonan")


def test_each_event_reads_as_a_sentence_with_its_wita_time(pages, fulfilled):
    body = pages("manager").get(f"/pemantauan/permohonan/{fulfilled}").get_data(as_text=True)
    sentences = _trail(body)
    assert sentences[0] == "Dinas Kesehatan Kota Tarakan mengajukan permohonan, 7 Desember 2026 pukul 09.00 WITA."
    assert any(s.startswith("Kepala Dinas menyelesaikan “Disposisi Kadis ke Kabid”: ") and "WITA" in s
               for s in sentences), sentences
    assert any(s.startswith("Kepala Bidang menyetujui rancangan surat tanggapan, ") for s in sentences)
    assert any(s.startswith("Kepala Dinas menandatangani surat tanggapan, ") for s in sentences)
    assert any(s.startswith("Sistem menyelesaikan layanan otomatis “") for s in sentences)
    assert any(s.startswith("Rapat dibuat secara manual sesuai pengaturan: ") for s in sentences)
    assert sentences[-1].startswith("Permohonan selesai: ")
    assert all(s.endswith(" WITA.") for s in sentences), sentences
    trail = _section(body)
    assert "+00:00" not in trail and "UTC" not in trail and "T10:00:00" not in trail


def test_the_sentences_speak_english_when_chosen(pages, fulfilled):
    manager = pages("manager")
    _english(manager)
    sentences = _trail(manager.get(f"/pemantauan/permohonan/{fulfilled}").get_data(as_text=True))
    assert sentences[0] == "Dinas Kesehatan Kota Tarakan submitted the request, 7 December 2026 at 09:00 WITA."
    assert any(s.startswith("Kepala Bidang approved the draft response letter, ") for s in sentences)
    assert any(s.startswith("Kepala Dinas signed the response letter, ") for s in sentences)
    assert any(s.startswith("The system completed the automated service “") for s in sentences)
    assert sentences[-1].startswith("Request finished: ")
    assert any(s.startswith("Kepala Dinas completed “Head of agency's disposition") for s in sentences), sentences
    assert not any("mengajukan" in s or "menyelesaikan" in s or "pukul" in s for s in sentences)


def test_the_data_is_labelled_from_the_form_with_choice_names(pages, fulfilled):
    body = _section(pages("manager").get(f"/pemantauan/permohonan/{fulfilled}").get_data(as_text=True))
    assert "<dt>Instruksi disposisi</dt>" in body and "Untuk ditindaklanjuti, Jadwalkan" in body
    assert "<dt>Keputusan</dt>" in body and "Teruskan ke" in body
    assert "decision" not in body and "forward" not in body  # raw keys and values never show
    assert "9 Desember 2026 pukul 10.00 WITA" in body  # the meeting's start, from ISO text with +08:00


def test_uploads_and_hashes_are_shortened_with_the_full_value_on_request(pages, fulfilled):
    body = pages("manager").get(f"/pemantauan/permohonan/{fulfilled}").get_data(as_text=True)
    digest = hashlib.sha256(base64.b64encode(PDF)).hexdigest()
    assert f"PDF, {len(base64.b64encode(PDF)) * 3 // 4} bita, SHA-256" in body
    assert f"<code>{digest[:8]}…{digest[-4:]}</code>" in body  # shortened in the summary
    assert f'<code class="full">{digest}</code>' in body and f'data-copy="{digest}"' in body
    assert base64.b64encode(PDF).decode() not in body
    assert "oversight-trail.js" in body


def test_long_data_is_folded(pages, fulfilled, clock):
    engine = pages("manager").engine
    note = "Catatan panjang " * 20
    view = engine.start("zoom_meeting_request", future_request(clock), engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    _complete(engine, view.summary.id, "T02_disposition_kadis", "kadis", {"note": note.strip()})
    body = pages("manager").get(f"/pemantauan/permohonan/{view.summary.id}").get_data(as_text=True)
    assert '<details class="long"><summary>' in body and f"<p>{note.strip()}</p>" in body
    trail = body[body.index('<ol class="trail">'):]
    assert '<details class="trail-fields">' in trail  # the request's many fields start folded
    assert '<details class="trail-fields" open>' in trail  # a disposition's few fields stay open


def test_the_waiting_step_is_named_in_english_when_chosen(pages, clock):
    engine = pages("manager").engine
    view = engine.start("zoom_meeting_request", future_request(clock), engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    manager = pages("manager")
    _english(manager)
    body = html.unescape(manager.get(f"/pemantauan/permohonan/{view.summary.id}").get_data(as_text=True))
    waiting = body[body.index('<ul class="open-steps">'):]
    assert "Head of agency's disposition to the division head" in waiting[:400]


EVENTS = [  # (type, actor, data, Indonesian sentence start, English sentence start)
    ("instance_started", "opd.dinkes", {}, "OPD DINKES mengajukan permohonan", "Agency DINKES submitted the request"),
    ("task_completed", "kadis", {}, "Kepala Dinas menyelesaikan “Disposisi Kadis ke Kabid”",
     "Kepala Dinas completed “Head of agency's disposition to the division head”"),
    ("letter_rendered", None, {}, "Sistem menyiapkan dokumen surat (PDF)", "The system prepared the letter document"),
    ("letter_approved", "kabid", {}, "Kepala Bidang menyetujui rancangan surat", "Kepala Bidang approved the draft"),
    ("letter_signed", "kadis", {}, "Kepala Dinas menandatangani surat tanggapan", "Kepala Dinas signed the response"),
    ("letter_number_voided", "admin", {}, "admin membatalkan nomor surat", "admin voided the letter number"),
    ("withdrawal_requested", "opd.dinkes", {}, "OPD DINKES meminta penarikan", "Agency DINKES asked to withdraw"),
    ("withdrawn", "opd.dinkes", {}, "OPD DINKES menarik permohonan", "Agency DINKES withdrew the request"),
    ("meeting_rescheduled", "staf", {}, "Staf Pengelola memindah jadwal rapat",
     "Staf Pengelola rescheduled the meeting"),
    ("meeting_deleted", None, {}, "Sistem menghapus rapat Zoom", "The system deleted the Zoom meeting"),
    ("job_retried", "admin", {}, "admin mengulang layanan otomatis “Disposisi", "admin retried the automated service"),
    ("service_completed", "system:worker", {}, "Sistem menyelesaikan layanan otomatis",
     "The system completed the automated service"),
    ("service_failed", "system:worker", {}, "Layanan otomatis “Disposisi Kadis ke Kabid” gagal dan akan diulang",
     "The automated service “Head of agency's disposition to the division head” failed and will be retried"),
    ("service_failed", "system:worker", {"error_code": "X"}, "Layanan otomatis tidak berhasil, proses beralih",
     "Automatic service did not succeed; the process took its fallback path"),
    ("reminder_sent", None, {}, "Sistem mengirim pengingat", "The system sent a reminder"),
    ("request_expired", None, {}, "Permohonan kedaluwarsa", "Request expired"),
    ("timer_fired", "system:worker", {}, "Batas waktu tercapai: “Disposisi", "Deadline reached: “Head of agency's"),
    ("escalated", "system:worker", {}, "Sistem mengirim eskalasi: “Disposisi", "The system sent an escalation: “Head"),
    ("instance_completed", None, {"outcome": "fulfilled"}, "Permohonan selesai: Terpenuhi", "Request finished: Fulfilled"),
]


@pytest.mark.parametrize("kind, actor, data, indonesian, english", EVENTS, ids=[e[0] for e in EVENTS])
def test_each_event_type_reads_as_a_sentence_in_both_languages(app, kind, actor, data, indonesian, english):
    from datetime import datetime, timezone

    from flask import session

    from api.web.audit_trail import sentence
    from engine.monitoring.oversight import TimelineEntry
    from engine.views import StepView

    steps = {"T02_disposition_kadis": StepView("T02_disposition_kadis", "Disposisi Kadis ke Kabid", "Kadis", "kadis",
                                               None, None, None, "Head of agency's disposition to the division head")}
    entry = TimelineEntry(1, datetime(2026, 12, 2, 16, 16, tzinfo=timezone.utc), kind, actor, None, "Kadis",
                          "T02_disposition_kadis", "Disposisi Kadis ke Kabid", data)
    positions = {"kadis": "Kepala Dinas", "kabid": "Kepala Bidang", "staf": "Staf Pengelola"}
    for lang, start, when in (("id", indonesian, "3 Desember 2026 pukul 00.16 WITA."),
                              ("en", english, "3 December 2026 at 00:16 WITA.")):
        with app.test_request_context("/"):
            session["lang"] = lang
            told = sentence(entry, steps, None, positions, lang)
        assert told.startswith(start) and told.endswith(when), (lang, told)
        assert "None" not in told and "UTC" not in told and "_" not in told


def _visible_texts(body: str) -> set[str]:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return {html.unescape(t).strip() for t in re.split(r"<[^>]+>", body) if html.unescape(t).strip()}


def test_the_managers_pages_in_english_show_no_indonesian_page_string(pages, fulfilled):
    from tests.web.test_web_catalogues import _catalogue
    indonesian = {msgid for msgid, (text, _) in _catalogue("en").items() if text != msgid and "%(" not in msgid}
    manager = pages("manager")
    _english(manager)
    for path in ("/pemantauan/permohonan", f"/pemantauan/permohonan/{fulfilled}", "/dasbor", "/rekap?bulan=2026-12",
                 "/kalender-rapat", "/pemantauan/insiden", "/pemantauan/audit"):
        left = sorted(_visible_texts(manager.get(path).get_data(as_text=True)) & indonesian)
        assert not left, (path, left)
