"""The ``pades`` provider end to end: a request runs to its mailed letter (real SMTP on
loopback), the attachment verifies with pyHanko as intact and signed by the test
certificate, one changed byte fails; the signature block names who signed (a Plt
included); an RFC 3161 timestamp from a TSA on loopback; the password never shows."""
import email
import io
import logging
from datetime import datetime, timedelta, timezone
from email import policy

import pytest
from pypdf import PdfReader

from engine import MailSettings, SignatureSettings, UnreadablePdf
from engine.errors import ServiceError
from engine.letters.pades import PadesSignature, load_pem_certificates
from engine.letters.press import sha256
from engine.letters.signature_check import verify_pdf_signature
from tests.engine.documents import attachments, pdf_text
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE, to_signature
from tests.engine.signing_certs import P12_PASSWORD, SIGNER_NAME, make_pki
from tests.engine.test_letter_mail import PASSWORD, SENDER, USER, Inbox, smtp  # noqa: F401 - the fixture
from tests.fakes.tsa_server import TsaServer

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)  # Monday 10:00 WITA


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: signing does not depend on the database."""
    return f"sqlite:///{tmp_path}/vicon.sqlite"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def pades(pki, **extra) -> SignatureSettings:
    return SignatureSettings(provider="pades", p12=pki.p12, p12_password=P12_PASSWORD, **extra)


def signed_engine(make_engine, pki, port, **extra):
    mail = MailSettings(host="127.0.0.1", port=port, security="none", user=USER, password=PASSWORD,
                        mail_from=SENDER, timeout=5)
    return make_engine(settings={"letters": OFFICE, "mail": mail, "signature": pades(pki, **extra)})


def mailed_letter(inbox) -> bytes:
    [(_, _, raw)] = inbox.received
    files = attachments(email.message_from_bytes(raw, policy=policy.default))
    return files["Surat-Tanggapan-000.7.2-1-DKISP-2026.pdf"]


def in_a_stream(pdf: bytes) -> int:
    """An offset inside the first content stream: a change there leaves the file parseable."""
    return pdf.index(b"stream\n") + 40


def test_the_mailed_letter_verifies_and_one_changed_byte_fails(make_engine, smtp, clock, pki, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG)
    inbox = Inbox()
    engine = signed_engine(make_engine, pki, smtp(inbox))
    d = Driver(engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    pdf = mailed_letter(inbox)
    roots = load_pem_certificates(pki.ca_pem)

    report = verify_pdf_signature(pdf, roots)
    assert report.verified and report.intact and report.trusted and report.whole_file
    assert report.signer == SIGNER_NAME and report.signatures == 1 and not report.timestamped
    assert engine.verify_signature(pdf).verified  # default trust: the configured certificate's own chain

    changed = bytearray(pdf)
    changed[in_a_stream(pdf)] ^= 0x01
    broken = verify_pdf_signature(bytes(changed), roots)
    assert not broken.intact and not broken.verified

    # what is stored and hashed into the chain is what was mailed; no second signature at dispatch
    [rendered] = [e for e in engine.events(d.instance_id, d.actor("kadis"))
                  if e.type == "letter_rendered" and e.data["stage"] == "final"]
    assert rendered.data["sha256"] == sha256(pdf)
    assert rendered.data["signature"] == {"provider": "pades", "signed": True}
    [letter] = d.instance("opd.dinkes").letters
    assert engine.letters.sent_pdf(d.instance_id, letter["id"], d.actor("opd.dinkes")) == pdf

    text = pdf_text(pdf)
    assert "telah ditandatangani secara elektronik" in text and "belum ditandatangani" not in text
    assert P12_PASSWORD not in caplog.text


def test_the_visible_signature_stands_in_the_blank_and_keeps_the_pdfa_parts(pki, tmp_path):
    from engine.letters import content
    from engine.letters.press import LetterPress
    provider = PadesSignature(pades(pki))
    press = LetterPress(provider)
    context = content.response_letter({}, OFFICE, content.Recipient("Dinas Kesehatan Kota Tarakan"),
                                      now=NOW,
                                      number="000.7.2/9/DKISP/2026", signed=True)
    laid, seal = press.layout("surat_tanggapan", context)
    signed = provider.sign(laid, signer=SIGNER_NAME, reason="uji", idempotency_key="k", seal=seal).pdf
    assert signed.startswith(laid)  # an incremental update: nothing laid out changes
    reader = PdfReader(io.BytesIO(signed))
    [widget] = [a.get_object() for a in reader.pages[seal.page]["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    bx1, by1, bx2, by2 = seal.box
    assert bx1 <= x1 < x2 <= bx2 and by1 <= y1 < y2 <= by2 and x2 - x1 > 100 and y2 - y1 > 30
    catalog = reader.trailer["/Root"]
    original = PdfReader(io.BytesIO(laid)).trailer["/Root"]
    for key in ("/OutputIntents", "/Metadata"):
        assert (key in catalog) == (key in original)  # what PDF/A put there stays
    assert "/Encrypt" not in reader.trailer
    if "/Metadata" in catalog:  # PDF/A: the Info's producer says what the XMP says
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        producer = reader.metadata["/Producer"]
        assert f'pdf:Producer="{producer}"' in xmp or f"<pdf:Producer>{producer}</pdf:Producer>" in xmp
    assert verify_pdf_signature(signed, load_pem_certificates(pki.ca_pem)).verified
    stamp = widget["/AP"]["/N"].get_object().get_data()  # its words, as ActualText beside the glyphs
    assert b"/ActualText (Ditandatangani secara elektronik oleh)" in stamp and b"WITA" in stamp


def test_an_acting_official_is_named_with_plt(make_engine, smtp, clock, pki):  # noqa: F811
    inbox = Inbox()
    engine = signed_engine(make_engine, pki, smtp(inbox))
    d = Driver(engine)
    today = clock.now().date()
    engine.delegations.name(d.actor("kadis"), "kabid", today, today + timedelta(days=7))
    to_signature(d, clock)
    d.complete("T09_sign_letter", username="kabid")
    text = pdf_text(mailed_letter(inbox))
    assert "Plt. KEPALA DINAS KOMUNIKASI" in text
    assert "Kepala Bidang Aplikasi dan Informatika (demo)" in text and OFFICE.signer_name not in text
    assert OFFICE.signer_rank not in text  # a Plt's rank is not on their account: left out, not guessed


def test_a_timestamp_from_the_tsa_on_loopback(pki, tmp_path):
    from engine.letters import content
    from engine.letters.press import LetterPress
    tsa = TsaServer(pki.tsa_cert, pki.tsa_key, pki.ca_cert).start()
    try:
        provider = PadesSignature(pades(pki, tsa_url=tsa.url))
        press = LetterPress(provider)
        context = content.response_letter({}, OFFICE, content.Recipient("Dinas Kesehatan Kota Tarakan"),
                                          now=datetime.now(timezone.utc),
                                          number="000.7.2/3/DKISP/2026", signed=True)
        laid, seal = press.layout("surat_tanggapan", context)
        signed = provider.sign(laid, signer=SIGNER_NAME, reason="uji", idempotency_key="k", seal=seal).pdf
        assert tsa.requests >= 1
    finally:
        tsa.stop()
    report = verify_pdf_signature(signed, load_pem_certificates(pki.ca_pem))
    assert report.verified and report.timestamped and report.signed_at is not None
    with pytest.raises(ServiceError) as refused:  # the TSA gone: a transient failure, retried
        provider.sign(laid, signer=SIGNER_NAME, reason="uji", idempotency_key="k", seal=seal)
    assert refused.value.transient


def test_the_check_refuses_what_it_cannot_read_and_says_none_for_unsigned(pki):
    roots = load_pem_certificates(pki.ca_pem)
    with pytest.raises(UnreadablePdf):
        verify_pdf_signature(b"not a pdf at all", roots)
    with pytest.raises(UnreadablePdf):
        verify_pdf_signature(b"%PDF-1.7\n" + b"0" * 2048, roots, max_bytes=1024)
    with pytest.raises(UnreadablePdf):
        verify_pdf_signature(b"%PDF-1.7\n%%garbage without objects\n", roots)
    from engine.letters.press import LetterPress
    from engine.letters import content
    unsigned = LetterPress().pdf("kedaluwarsa", content.expired_notice(
        {}, OFFICE, content.Recipient("Dinas Kesehatan Kota Tarakan"),
        now=NOW))
    assert verify_pdf_signature(unsigned, roots) is None


def test_a_foreign_certificate_is_intact_but_not_trusted(pki, tmp_path):
    other = make_pki(tmp_path / "other", signer="Orang Lain")
    provider = PadesSignature(SignatureSettings(provider="pades", p12=other.p12, p12_password=P12_PASSWORD))
    from engine.letters.press import LetterPress
    from engine.letters import content
    pdf = LetterPress(provider).pdf("kedaluwarsa", content.expired_notice(
        {}, OFFICE, content.Recipient("Dinas Kesehatan Kota Tarakan"),
        now=NOW))
    signed = provider.sign(pdf, signer="Orang Lain", reason="uji", idempotency_key="k").pdf
    report = verify_pdf_signature(signed, load_pem_certificates(pki.ca_pem))
    assert report.intact and not report.trusted and not report.verified and report.signer == "Orang Lain"


def test_the_kadis_in_person_is_the_configured_signer_their_account_filling_gaps(make_engine):
    from engine import LetterSettings
    from engine.letters.signer import signature_block
    engine = make_engine()
    engine.seed_demo("uji-demo-sandi")
    with engine.db.reading() as session:
        configured = signature_block(session, OFFICE, {"signed_by": "kadis"})
        unset = signature_block(session, LetterSettings(), {"signed_by": "kadis"})
    assert (configured["name"], configured["rank"], configured["nip"]) == (
        OFFICE.signer_name, OFFICE.signer_rank, OFFICE.signer_nip)
    assert unset["name"] == "Kepala Dinas Kominfo (demo)" and "acting" not in unset
