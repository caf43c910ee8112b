"""Every issued letter and notice carries a QR code to its public verification
entry (``VICON_PUBLIC_URL`` + ``/verifikasi/<token>``), made before the layout
and holding the hash of the PDF issued; the entry says issued, replaced or
voided. Letters, notices and the disposition sheet are PDF/A-3b."""
import email
import email.policy

import pytest

from engine import NotFound
from engine.letters.press import sha256
from engine.letters.verification import PATH, Issue, SqlVerifications
from tests.engine.documents import attachments
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, OFFICE, to_signature
from tests.engine.pdf_checks import pdfa_problems, qr_texts

PUBLIC = "https://vicon.tarakankota.go.id"


@pytest.fixture
def office_engine(make_engine):
    return make_engine(settings={"letters": OFFICE, "public_url": PUBLIC})


def _mailed(tmp_path, prefix: str) -> bytes:
    [eml] = (tmp_path / "outbox").glob(f"{prefix}-*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    [pdf] = [data for name, data in attachments(message).items() if name.endswith(".pdf")]
    return pdf


def _signed_and_sent(d, clock):
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    d.work()


def _token(url: str) -> str:
    assert url.startswith(PUBLIC + PATH)
    return url[len(PUBLIC + PATH):]


def test_the_sent_letter_carries_a_qr_to_its_entry_with_the_hash_of_that_pdf(office_engine, clock, tmp_path):
    d = Driver(office_engine)
    _signed_and_sent(d, clock)
    pdf = _mailed(tmp_path, "surat_tanggapan")
    [url] = qr_texts(pdf)  # decoded from the rendered page
    token = _token(url)
    assert len(token) >= 43
    view = d.engine.verification.view(token)
    [letter] = d.instance().letters
    assert (view.kind, view.number, view.state) == ("surat_tanggapan", letter["number"], "issued")
    assert view.sha256 == sha256(pdf)
    assert view.subject == DRAFT["subject"] and view.addressee == "Dinas Kesehatan Kota Tarakan"
    assert view.signer_position == OFFICE.signer_position
    assert d.engine.verification.check(token, pdf).same
    changed = pdf[:-40] + bytes([pdf[-40] ^ 1]) + pdf[-39:]
    assert not d.engine.verification.check(token, changed).same


def test_the_konsep_carries_its_mark_and_no_qr(office_engine, clock):
    d = Driver(office_engine)
    to_signature(d, clock)
    konsep = d.engine.letters.draft_pdf(d.instance_id, d.actor("kabid"))
    assert qr_texts(konsep) == [] and pdfa_problems(konsep) == []


def test_a_notice_carries_its_own_entry(office_engine, clock, tmp_path):
    from datetime import datetime, timedelta

    from engine.storage.models import Booking
    from engine.storage.verification_models import VerificationToken
    from tests.conftest import future_request
    d = Driver(office_engine)
    request = future_request(clock)
    start = datetime.fromisoformat(request["start_at"])
    with d.engine.db.transaction() as session:  # every host taken: step 4 issues the schedule-full notice
        for host in ("zoom-1", "zoom-2"):
            session.add(Booking(host_id=host, instance_id=None, start=start, end=start + timedelta(hours=2)))
    d.start(request)
    d.complete("T02_disposition_kadis")
    d.complete("T03_disposition_kabid")
    assert set(d.ready()) == {"T04_choose_alternative"}
    pdf = _mailed(tmp_path, "jadwal_penuh")
    [url] = qr_texts(pdf)
    with d.engine.db.reading() as session:
        [entry] = session.query(VerificationToken).all()
    assert url == PUBLIC + PATH + entry.token and entry.sha256 == sha256(pdf)
    view = d.engine.verification.view(entry.token)
    assert (view.kind, view.number, view.state) == ("jadwal_penuh", None, "issued")
    assert view.subject == "Pemberitahuan Jadwal Zoom Meeting Penuh"
    assert pdfa_problems(pdf) == []


def test_letters_and_the_disposition_sheet_are_pdfa(office_engine, clock, tmp_path):
    d = Driver(office_engine)
    _signed_and_sent(d, clock)
    assert pdfa_problems(_mailed(tmp_path, "surat_tanggapan")) == []
    assert pdfa_problems(d.engine.letters.disposition_pdf(d.instance_id, d.actor("kadis"))) == []


def test_a_withdrawn_request_voids_its_letter_and_a_later_letter_replaces_it(office_engine, clock, tmp_path):
    d = Driver(office_engine)
    _signed_and_sent(d, clock)
    [url] = qr_texts(_mailed(tmp_path, "surat_tanggapan"))
    first = _token(url)
    later = SqlVerifications(d.engine.db, base_url=PUBLIC)
    issue = Issue("surat_tanggapan", "test:later", d.instance_id, "000.7.2/9/DKISP/2026", "Perubahan jadwal",
                  "Dinas Kesehatan Kota Tarakan", None, clock.now())
    entry = later.prepare(issue, clock.now())
    assert entry.url == PUBLIC + PATH + entry.token and later.prepare(issue, clock.now()) == entry
    with pytest.raises(NotFound):  # not laid out yet: nobody holds its QR
        d.engine.verification.view(entry.token)
    later.record(entry.token, None, "ab" * 32)
    assert d.engine.verification.view(first).state == "replaced"
    assert d.engine.verification.view(entry.token).state == "issued"
    d.engine.withdraw(d.instance_id, d.actor("opd.dinkes"), "Kegiatan dibatalkan oleh pimpinan")
    d.work()
    assert d.engine.verification.view(first).state == "voided"
    assert d.engine.verification.view(entry.token).state == "voided"


def test_unknown_tokens_are_not_found_and_counted_per_address(office_engine):
    desk = office_engine.verification
    for token in ("", "short", "x" * 43, "x" * 65):
        with pytest.raises(NotFound):
            desk.view(token)
    for _ in range(19):
        desk.limit.missed("10.0.0.1")
    assert not desk.limit.blocked("10.0.0.1")
    desk.limit.missed("10.0.0.1")
    assert desk.limit.blocked("10.0.0.1") and not desk.limit.blocked("10.0.0.2")


def test_a_signed_letter_verifies_on_its_entry_and_stays_pdfa(make_engine, clock, tmp_path):
    from engine import SignatureSettings
    from tests.engine.signing_certs import P12_PASSWORD, SIGNER_NAME, make_pki
    pki = make_pki(tmp_path / "pki")
    engine = make_engine(settings={"letters": OFFICE, "public_url": PUBLIC, "signature": SignatureSettings(
        provider="pades", p12=pki.p12, p12_password=P12_PASSWORD)})
    d = Driver(engine)
    _signed_and_sent(d, clock)
    pdf = _mailed(tmp_path, "surat_tanggapan")
    token = _token(qr_texts(pdf)[0])
    assert engine.verification.view(token).sha256 == sha256(pdf)
    assert pdfa_problems(pdf) == []  # the incremental signature keeps the PDF/A parts
    check = engine.verification.check(token, pdf)
    assert check.same and check.signature.verified and check.signature.signer == SIGNER_NAME
    changed = bytearray(pdf)
    changed[pdf.index(b"stream\n") + 40] ^= 0x01  # inside a content stream: still a readable PDF
    check = engine.verification.check(token, bytes(changed))
    assert not check.same and not check.signature.intact


def test_the_monthly_recap_carries_its_own_entry(office_engine, clock):
    d = Driver(office_engine)
    now = clock.now()
    month = now.date().replace(day=1)
    pdf = d.engine.monitoring.recap_pdf(month, d.actor("manager"))
    [url] = qr_texts(pdf)
    view = d.engine.verification.view(_token(url))
    assert (view.kind, view.number, view.state) == ("rekap", None, "issued") and view.sha256 == sha256(pdf)
    assert view.subject.startswith("Rekapitulasi Bulanan Layanan Fasilitasi Zoom Meeting")
    assert d.engine.monitoring.recap_pdf(month, d.actor("manager")) == pdf  # downloaded again: the same entry
