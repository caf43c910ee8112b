"""The public verification page behind the QR on a letter: what the letter says
and its hash, whether it stands (issued, replaced, voided), an uploaded PDF
checked byte for byte, the tracking page's protections and a limit on unknown
tokens that every server process shares (it is in the database)."""
import io
from urllib.parse import urlsplit

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from api.app import create_app
from api.config import Config
from engine import Engine, Settings
from engine.letters.verification import Issue, SqlVerifications
from tests.api.accounts import SECRET
from tests.engine.pdf_checks import qr_texts
from tests.web.flow import PageSop


def _fulfilled_letter(pages, clock) -> tuple[PageSop, bytes]:
    sop = PageSop(pages, clock)
    sop.submit(topic="Rapat koordinasi stunting")
    for _ in range(20):
        if not sop.ready():
            break
        sop.complete_next()
    engine, admin = sop.engine, sop.engine.actor("admin")
    [letter] = engine.get_instance(sop.instance_id, admin).letters
    return sop, engine.letters.sent_pdf(sop.instance_id, letter["id"], admin)


def _upload(browser, path: str, data: bytes, name: str = "surat.pdf"):
    """POST the form with ``data`` as its file, the body made in memory (the test client
    would spool a large one to a temporary file it never closes)."""
    browser.get(path)
    boundary, body = encode_multipart({"csrf_token": browser.token,
                                       "file": FileStorage(io.BytesIO(data), filename=name)})
    return browser.client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_the_qr_leads_to_the_letter_and_an_upload_is_checked_byte_for_byte(pages, clock):
    sop, pdf = _fulfilled_letter(pages, clock)
    [url] = qr_texts(pdf)
    assert url.startswith("http://127.0.0.1:5000/verifikasi/")
    path = urlsplit(url).path
    visitor = pages(None)
    response = visitor.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    view = sop.engine.verification.view(path.rsplit("/", 1)[-1])
    for shown in (view.number, view.subject, "Dinas Kesehatan Kota Tarakan", view.signer_position,
                  view.sha256, "Surat tanggapan", 'data-state="issued"'):
        assert shown in page, shown
    assert any(month in page for month in ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                                           "Agustus", "September", "Oktober", "November", "Desember"))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Cache-Control"] == "no-store"

    same = _upload(visitor, path, pdf)
    assert same.status_code == 200 and 'data-same="yes"' in same.get_data(as_text=True)
    assert same.headers["Cache-Control"] == "no-store"
    changed = pdf[:-100] + bytes([pdf[-100] ^ 0x01]) + pdf[-99:]
    differs = _upload(visitor, path, changed)
    assert differs.status_code == 200 and 'data-same="no"' in differs.get_data(as_text=True)
    not_pdf = _upload(visitor, path, b"GIF89a not a letter", "surat.pdf")
    assert not_pdf.status_code == 400 and "bukan PDF" in not_pdf.get_data(as_text=True)
    too_big = _upload(visitor, path, b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 + 1))
    assert too_big.status_code == 413 and "paling besar 5 MB" in too_big.get_data(as_text=True)
    empty = _upload(visitor, path, b"", "")
    assert empty.status_code == 400


def test_the_page_says_replaced_then_voided(pages, clock):
    sop, pdf = _fulfilled_letter(pages, clock)
    path = urlsplit(qr_texts(pdf)[0]).path
    engine = sop.engine
    later = SqlVerifications(engine.db, base_url="http://127.0.0.1:5000")
    entry = later.prepare(Issue("surat_tanggapan", "test:later", sop.instance_id, "000.7.2/99/DKISP/2026",
                                "Perubahan jadwal", "Dinas Kesehatan Kota Tarakan", None, clock.now()), clock.now())
    later.record(entry.token, None, "cd" * 32)
    page = pages(None).get(path).get_data(as_text=True)
    assert 'data-state="replaced"' in page and "Diganti" in page
    engine.withdraw(sop.instance_id, engine.actor("opd.dinkes"), "Kegiatan dibatalkan oleh pimpinan")
    page = pages(None).get(path).get_data(as_text=True)
    assert 'data-state="voided"' in page and "Dibatalkan" in page


def test_the_page_in_english(pages, clock):
    sop, pdf = _fulfilled_letter(pages, clock)
    path = urlsplit(qr_texts(pdf)[0]).path
    visitor = pages(None)
    visitor.submit("/bahasa", {"lang": "en", "next": path}, page=path)
    page = visitor.get(path).get_data(as_text=True)
    assert '<html lang="en">' in page and "Document verification" in page and "Response letter" in page
    assert "In force: this document was issued and has not been replaced." in page


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 200])
def test_an_unknown_token_is_a_plain_404(pages, token):
    response = pages(None).get(f"/verifikasi/{token}")
    assert response.status_code == 404
    assert "Kode verifikasi ini tidak dikenal" in response.get_data(as_text=True)
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_unknown_tokens_are_limited_per_address_across_processes(app, pages, clock, tmp_path):
    visitor = pages(None)
    for n in range(20):
        assert visitor.get(f"/verifikasi/{'g' * 40}{n:03d}").status_code == 404
    assert visitor.get(f"/verifikasi/{'g' * 43}").status_code == 429
    # another server process on the same database refuses that address too
    engine = app.extensions["vicon"]
    other_engine = Engine(Settings(database_url=engine.settings.database_url, outbox_dir=tmp_path / "outbox"),
                          clock=clock)
    try:
        other = create_app(Config(env="test", database_url=engine.settings.database_url, secret_key=SECRET,
                                  outbox_dir=tmp_path / "outbox"), other_engine)
        assert other.test_client().get(f"/verifikasi/{'h' * 43}").status_code == 429
        clock.advance(minutes=16)
        assert other.test_client().get(f"/verifikasi/{'h' * 43}").status_code == 404
    finally:
        other_engine.db.dispose()


def test_a_signed_letter_uploaded_says_who_signed_and_a_changed_byte_fails(make_app, clock, tmp_path):
    from engine import SignatureSettings
    from tests.engine.letter_setup import OFFICE
    from tests.engine.signing_certs import P12_PASSWORD, SIGNER_NAME, make_pki
    from tests.web.browser import Pages
    pki = make_pki(tmp_path / "pki")
    app = make_app({"letters": OFFICE, "signature": SignatureSettings(provider="pades", p12=pki.p12,
                                                                       p12_password=P12_PASSWORD)})
    browsers: dict = {}

    def pages(username):
        return browsers.setdefault(username, Pages(app, username))
    sop, pdf = _fulfilled_letter(pages, clock)
    path = urlsplit(qr_texts(pdf)[0]).path
    page = _upload(pages(None), path, pdf).get_data(as_text=True)
    assert 'data-same="yes"' in page and 'data-intact="yes"' in page and 'data-trusted="yes"' in page
    assert f"Ditandatangani oleh: {SIGNER_NAME}" in page and "WITA" in page
    changed = bytearray(pdf)
    changed[pdf.index(b"stream\n") + 40] ^= 0x01
    page = _upload(pages(None), path, bytes(changed)).get_data(as_text=True)
    assert 'data-same="no"' in page and 'data-intact="no"' in page and "tidak sah" in page
