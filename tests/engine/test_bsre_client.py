"""The BSrE client against the loopback stand-in: a signature, each refusal by
its kind, the service down, the answer's size budget, and nothing of the
request in the log."""
from __future__ import annotations


import logging

import pytest

from engine.letters import bsre
from engine.letters.bsre import BsreClient, BsreRefusal, BsreSettings, BsreSignature
from tests.fakes.bsre_server import CLIENT_ID, CLIENT_SECRET, BsreServer, Signer

NIK, OTHER_NIK, REVOKED_NIK = "6471010101800001", "6471010101800002", "6471010101800003"
PASSPHRASE = "frasa-sandi-kadis-7311"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    weasyprint = pytest.importorskip("weasyprint", reason="WeasyPrint lays out the letter to sign")
    return weasyprint.HTML(string="<p>Surat tanggapan uji</p>").write_pdf()


@pytest.fixture(scope="module")
def server():
    with BsreServer({NIK: Signer(PASSPHRASE, name="Kadis Uji"),
                     REVOKED_NIK: Signer("apa-saja", status="REVOKED")}) as fake:
        yield fake


def _settings(server, **changes) -> BsreSettings:
    return BsreSettings(**{"url": server.url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                           "timeout_seconds": 5.0, **changes})


def test_a_signature_verifies_as_signed_by_the_signers_certificate(server, pdf):
    provider = BsreSignature(_settings(server))
    signed = provider.sign_with_passphrase(pdf, nik=NIK, passphrase=PASSPHRASE)
    assert signed.signed and signed.provider == "bsre" and signed.pdf.startswith(pdf[:8])
    assert signed.pdf != pdf
    report = provider.verify(signed.pdf)
    assert report.valid and [s.name for s in report.signatures] == ["Kadis Uji"]
    tampered = bytearray(signed.pdf)
    tampered[len(pdf) // 2] ^= 0x01  # one changed byte inside the signed range
    assert not provider.verify(bytes(tampered)).valid


@pytest.mark.parametrize("nik, passphrase, kind, code", [
    (NIK, "salah", bsre.PASSPHRASE, 2031),
    (OTHER_NIK, PASSPHRASE, bsre.NOT_REGISTERED, 2011),
    (REVOKED_NIK, "apa-saja", bsre.CERTIFICATE, 2051),
])
def test_a_refusal_says_its_kind(server, pdf, nik, passphrase, kind, code):
    with pytest.raises(BsreRefusal) as refused:
        BsreClient(_settings(server)).sign_pdf(pdf, nik=nik, passphrase=passphrase)
    assert (refused.value.kind, refused.value.code) == (kind, code)


def test_wrong_client_credentials_are_a_credentials_refusal(server, pdf):
    with pytest.raises(BsreRefusal) as refused:
        BsreClient(_settings(server, client_secret="keliru")).sign_pdf(pdf, nik=NIK, passphrase=PASSPHRASE)
    assert refused.value.kind == bsre.CREDENTIALS


def test_a_service_down_or_unreachable_is_unavailable(server, pdf):
    server.state.down = True
    try:
        with pytest.raises(BsreRefusal) as refused:
            BsreClient(_settings(server)).sign_pdf(pdf, nik=NIK, passphrase=PASSPHRASE)
        assert refused.value.kind == bsre.UNAVAILABLE
    finally:
        server.state.down = False
    with pytest.raises(BsreRefusal) as unreachable:  # nothing listens there
        BsreClient(_settings(server, url="http://127.0.0.1:9")).sign_pdf(pdf, nik=NIK, passphrase=PASSPHRASE)
    assert unreachable.value.kind == bsre.UNAVAILABLE


def test_an_answer_past_the_budget_is_refused(server, pdf):
    with pytest.raises(BsreRefusal) as refused:
        BsreClient(_settings(server, max_pdf_bytes=len(pdf))).sign_pdf(pdf, nik=NIK, passphrase=PASSPHRASE)
    assert refused.value.kind == bsre.UNAVAILABLE


def test_user_status_names_the_certificate_state(server):
    client = BsreClient(_settings(server))
    assert client.user_status(NIK) == "ISSUE"
    assert client.user_status(OTHER_NIK) == "NOT_REGISTERED"
    assert client.user_status(REVOKED_NIK) == "REVOKED"


def test_the_passphrase_and_secret_never_reach_the_log(server, pdf, caplog):
    caplog.set_level(logging.DEBUG)
    client = BsreClient(_settings(server))
    client.sign_pdf(pdf, nik=NIK, passphrase=PASSPHRASE)
    with pytest.raises(BsreRefusal) as refused:
        client.sign_pdf(pdf, nik=NIK, passphrase=PASSPHRASE + "x")
    logged = caplog.text + str(refused.value) + repr(refused.value)
    assert PASSPHRASE not in logged and CLIENT_SECRET not in logged
    assert CLIENT_SECRET not in repr(client.settings)


def test_settings_name_what_is_missing_never_the_values():
    problems = BsreSettings(url="http://x", client_secret="rahasia").problems()
    assert problems == ["VICON_BSRE_CLIENT_ID must be set when VICON_SIGNATURE_PROVIDER is bsre"]
    assert not BsreSettings().configured
