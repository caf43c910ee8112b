"""Steps 7-10 through the facade: approvals with the hash of the exact PDF,
the numbering register under concurrency (SQLite and PostgreSQL), returned
drafts, the letter sent to the outbox with its calendar invitation."""
import email
import threading
from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from engine import NotFound
from engine.letters.press import sha256
from tests.engine.documents import attachments, pdf_text
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, OFFICE, to_draft, to_signature

SIGNERS, SIGNERS_POSTGRES = 5, 20


@pytest.fixture
def office_engine(make_engine):
    return make_engine(settings={"letters": OFFICE})


def letter_events(d):
    """The approvals and signatures of the chain (the worker's layouts apart)."""
    return [e for e in d.engine.events(d.instance_id, d.actor("manager"))
            if e.type.startswith("letter_") and e.type != "letter_rendered"]


def rendered(d, stage):
    """The worker's layouts of ``stage`` recorded in the chain."""
    return [e for e in d.engine.events(d.instance_id, d.actor("manager"))
            if e.type == "letter_rendered" and e.data["stage"] == stage]


def test_approvals_keep_the_exact_pdf_and_the_letter_goes_out(office_engine, clock, tmp_path):
    d = Driver(office_engine)
    to_draft(d, clock)
    d.complete("T07_draft_letter", DRAFT)
    preview = d.engine.letters.draft_pdf(d.instance_id, d.actor("kabid"))
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    kabid, kadis = letter_events(d)
    assert (kabid.type, kabid.actor, kabid.data["version"]) == ("letter_approved", "kabid", 1)
    assert kabid.data["sha256"] == sha256(preview)  # Kabid approved exactly what the preview showed
    assert (kadis.type, kadis.actor, kadis.data["number"]) == ("letter_signed", "kadis", "000.7.2/1/DKISP/2026")
    [final] = rendered(d, "final")  # laid out by the worker after the signing committed
    assert (final.actor, final.data["number"]) == ("system:worker", "000.7.2/1/DKISP/2026")
    [letter] = d.instance("opd.dinkes").letters
    assert (letter["kind"], letter["number"], letter["id"]) == ("surat_tanggapan", "000.7.2/1/DKISP/2026",
                                                             final.data["document_id"])
    sent = d.engine.letters.sent_pdf(d.instance_id, letter["id"], d.actor("opd.dinkes"))
    assert sha256(sent) == final.data["sha256"]
    assert "000.7.2/1/DKISP/2026" in pdf_text(sent) and "Tarakan, 7 Desember 2026" in pdf_text(sent)
    [eml] = (tmp_path / "outbox").glob("surat_tanggapan-*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["To"] == "dinkes@tarakankota.go.id" and message["Cc"] == "budi@example.go.id"
    files = attachments(message)
    assert files["Surat-Tanggapan-000.7.2-1-DKISP-2026.pdf"] == sent
    [event] = Calendar.from_ical(files["undangan.ics"]).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2026-12-09T10:00:00+08:00"
    d.complete("T10_acknowledge_receipt")
    assert d.instance().summary.outcome == "fulfilled"


def test_a_returned_draft_goes_back_with_the_note_and_burns_no_number(office_engine, clock):
    d = Driver(office_engine)
    to_draft(d, clock)
    d.complete("T07_draft_letter", {"subject": "Fasilitasi Zoom Meeting"})
    d.complete("T08_review_draft", {"decision": "return", "note": "Hal surat kurang lengkap"})
    task = d.ready()["T07_draft_letter"]
    detail = d.engine.get_task(task.id, d.actor("subkoordinator"))
    returned = {x["step"]: x for x in detail.context["dispositions"]}["review_kabid"]
    assert (returned["decision"], returned["note"]) == ("return", "Hal surat kurang lengkap")
    d.complete("T07_draft_letter", DRAFT)
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter", {"decision": "return", "note": "Tambahkan narahubung"})
    d.complete("T07_draft_letter", DRAFT)
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    events = letter_events(d)
    assert [(e.type, e.data["version"]) for e in events] == [
        ("letter_approved", 2), ("letter_approved", 3), ("letter_signed", 3)]
    assert events[-1].data["number"] == "000.7.2/1/DKISP/2026"  # the returns took no number
    assert [e.data["version"] for e in rendered(d, "konsep")] == [1, 2, 3]
    [final] = rendered(d, "final")
    assert "Tanggapan atas Permohonan" in pdf_text(
        d.engine.letters.sent_pdf(d.instance_id, final.data["document_id"], d.actor("kadis")))


def test_parallel_signings_take_distinct_consecutive_numbers(make_engine, clock):
    engine = make_engine(settings={"letters": OFFICE})
    # PostgreSQL signs truly in parallel: 20 at once there; SQLite serialises its writers anyway
    signers = SIGNERS_POSTGRES if engine.settings.database_url.startswith("postgresql") else SIGNERS
    d = Driver(engine)
    waiting = []
    agencies = ("dinkes", "disdik", "dishub", "dinsos", "bappeda")
    for index in range(signers):  # five meetings an hour apart a day, on successive days
        to_signature(d, clock, agencies[index % 5], hour=index % 5 + 24 * (index // 5))
        waiting.append(d.ready()["T09_sign_letter"].id)
    kadis, barrier, errors = d.actor("kadis"), threading.Barrier(signers), []

    def sign(task_id):
        barrier.wait()
        try:
            engine.complete_task(task_id, {}, kadis)
        except Exception as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=sign, args=(t,)) for t in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    register = engine.letters.register(2026)
    assert sorted(r["seq"] for r in register) == list(range(1, signers + 1))
    assert len({r["instance_id"] for r in register}) == signers


def test_a_voided_number_is_kept_and_never_given_again(make_engine, clock):
    engine = make_engine(settings={"letters": OFFICE})
    d = Driver(engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    engine.letters.void_number("000.7.2/1/DKISP/2026", "Salah kirim", d.actor("kadis"))
    with pytest.raises(NotFound):
        engine.letters.void_number("000.7.2/99/DKISP/2026", "Tidak ada", d.actor("kadis"))
    to_signature(d, clock, "disdik", hour=2)
    d.complete("T09_sign_letter")
    first, second = engine.letters.register(2026)
    assert (first["seq"], first["void_reason"]) == (1, "Salah kirim") and first["voided_at"]
    assert (second["seq"], second["voided_at"]) == (2, None)
    clock.set(datetime(2027, 1, 4, 1, 0, tzinfo=timezone.utc))  # the sequence restarts each year
    to_signature(d, clock, "dishub", hour=4)
    d.complete("T09_sign_letter")
    assert [r["number"] for r in engine.letters.register(2027)] == ["000.7.2/1/DKISP/2027"]


def test_previews_and_downloads_are_guarded(office_engine, clock):
    d = Driver(office_engine)
    to_draft(d, clock)
    with pytest.raises(NotFound):
        d.engine.letters.draft_pdf(d.instance_id, d.actor("kabid"))  # nothing drafted yet
    d.complete("T07_draft_letter", DRAFT)
    sheet = pdf_text(d.engine.letters.disposition_pdf(d.instance_id, d.actor("kabid")))
    assert "LEMBAR DISPOSISI" in sheet and "Dari Kepala Dinas kepada Kepala Bidang" in sheet
    assert "☑ Jadwalkan" in sheet and "☐ Koordinasikan" in sheet and "Segera" in sheet
    with pytest.raises(NotFound):
        d.engine.letters.draft_pdf(d.instance_id, d.actor("opd.disdik"))
    with pytest.raises(NotFound):
        d.engine.letters.sent_pdf(d.instance_id, 1, d.actor("opd.dinkes"))  # approved, never sent


class StampingSignature:
    """A stand-in TTE provider: appends a marker, as a real signature appends its data."""

    name = "test-tte"
    notice = "Dokumen ini telah ditandatangani secara elektronik (uji)."

    def __init__(self):
        self.calls = []

    def sign(self, pdf, *, signer, reason, idempotency_key, seal=None):
        from engine.letters.signature import SignedPdf
        self.calls.append((signer, idempotency_key, seal))
        return SignedPdf(pdf + b"\n%signed\n", signed=True, provider=self.name)


def test_an_electronic_signature_provider_signs_in_the_worker(office_engine, clock):
    tte = StampingSignature()
    office_engine.letters.press.signature = tte
    d = Driver(office_engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    [final] = rendered(d, "final")
    [letter] = d.instance().letters
    sent = d.engine.letters.sent_pdf(d.instance_id, letter["id"], d.actor("kadis"))
    # signed right after the layout: the stored, hashed letter is the one mailed, never signed twice
    assert letter["id"] == final.data["document_id"] and sent.endswith(b"%signed\n")
    assert final.data["sha256"] == sha256(sent)
    assert final.data["signature"] == {"provider": "test-tte", "signed": True}
    assert "ditandatangani secara elektronik (uji)" in pdf_text(sent)
    [(signer, _, seal)] = tte.calls
    assert signer == OFFICE.signer_name and seal.page == 0 and seal.signer["nip"] == OFFICE.signer_nip


def test_an_automatic_receipt_counts_as_fulfilled():
    from engine.definitions.model import Element
    assert Element("end_fulfilled_auto", "endEvent", None, None, None).outcome == "fulfilled"


def test_a_number_whose_letter_never_went_out_is_voided(office_engine, clock):
    d = Driver(office_engine)
    to_signature(d, clock)
    office_engine.complete_task(d.ready()["T09_sign_letter"].id, {}, d.actor("kadis"))  # no worker yet
    office_engine.withdraw(d.instance_id, d.actor("opd.dinkes"), "Kegiatan dibatalkan")
    d.work()  # the dispatch job was cancelled; the worker finishes the withdrawal
    assert d.instance().summary.outcome == "withdrawn" and d.instance().letters == []
    [number] = office_engine.letters.register(2026)
    assert number["voided_at"] and number["void_reason"] == "Permohonan berakhir sebelum surat dikirim"
