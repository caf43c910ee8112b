"""The Kadis signs with BSrE (stand-in on loopback): the passphrase typed at the
signing step, a refusal leaving the step open with its number, the retry signing
once with no second number, and the passphrase nowhere it could be kept."""
from __future__ import annotations

import contextlib
import email
import logging

import pytest
from sqlalchemy import inspect, select, text

from cryptography.hazmat.primitives import serialization

from engine import InvalidData, SignatureSettings
from engine.letters.press import sha256
from engine.storage.models import User
from engine.storage.packing import unpacked
from tests.engine.documents import attachments
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE, to_signature
from tests.fakes.bsre_server import CLIENT_ID, CLIENT_SECRET, BsreServer, Signer

NIK = "6471010101800001"
PASSPHRASE = "Frasa-Sandi-Kadis-7311!"
SIGN = "T09_sign_letter"


@pytest.fixture
def bsre():
    with BsreServer({NIK: Signer(PASSPHRASE, name="Kadis Uji")}) as server:
        yield server


@pytest.fixture
def driver(make_engine, bsre, clock, tmp_path):
    roots = tmp_path / "bsre-ca.pem"  # what the verification page checks a BSrE signature against
    roots.write_bytes(bsre.certificates.ca_cert.public_bytes(serialization.Encoding.PEM))
    signature = SignatureSettings(provider="bsre", trust_roots=roots, bsre_url=bsre.url, bsre_client_id=CLIENT_ID,
                                  bsre_client_secret=CLIENT_SECRET)
    engine = make_engine(settings={"letters": OFFICE, "signature": signature})  # the provider VICON_* selects
    d = Driver(engine)
    with engine.db.transaction() as session:
        session.scalars(select(User).where(User.username == "kadis")).one().nik = NIK
    to_signature(d, clock)
    return d


def _sign(d, passphrase, username="kadis"):
    task = d.ready()[SIGN]
    return d.engine.complete_task(task.id, {"decision": "approve"}, d.actor(username), passphrase=passphrase)


def _register(d) -> list[str]:
    return [r["number"] for r in d.engine.letters.register(2026)]


def _events(d, type_):
    return [e for e in d.engine.events(d.instance_id, d.actor("manager")) if e.type == type_]


def test_a_signature_end_to_end_the_mailed_letter_is_the_signed_one(driver, bsre, tmp_path):
    d = driver
    _sign(d, PASSPHRASE)
    assert SIGN not in d.ready() and len(bsre.state.signed) == 1
    [signed] = _events(d, "letter_signed")
    [final] = [e for e in _events(d, "letter_rendered") if e.data["stage"] == "final"]
    assert final.data["number"] == signed.data["number"] == "000.7.2/1/DKISP/2026"
    d.work()  # the dispatch sends the stored, signed letter
    [eml] = (tmp_path / "outbox").glob("surat_tanggapan-*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    [pdf] = [data for name, data in attachments(message).items() if name.endswith(".pdf")]
    assert sha256(pdf) == final.data["sha256"]
    report = d.engine.letters.press.signature.verify(pdf)  # BSrE's own verification
    assert report.valid and [s.name for s in report.signatures] == ["Kadis Uji"]
    checked = d.engine.verify_signature(pdf)  # pyHanko's, as the verification page checks an upload
    assert (checked.intact, checked.trusted, checked.signer) == (True, True, "Kadis Uji")
    assert d.engine.verify_audit(d.instance_id).ok and _register(d) == [final.data["number"]]


@pytest.mark.parametrize("fault, words", [
    ("wrong", "Passphrase salah"),
    ("down", "tidak dapat dihubungi"),
    ("unregistered", "tidak terdaftar sebagai pemilik sertifikat"),
    ("revoked", "dicabut atau tidak berlaku"),
])
def test_a_refusal_keeps_the_step_open_with_its_number_and_the_retry_signs_once(driver, bsre, fault, words):
    d = driver
    signer = bsre.state.signers.pop(NIK)
    bsre.state.signers[NIK] = Signer(PASSPHRASE, status="REVOKED") if fault == "revoked" else signer
    if fault == "unregistered":
        del bsre.state.signers[NIK]
    bsre.state.down = fault == "down"
    with pytest.raises(InvalidData) as refused:
        _sign(d, PASSPHRASE + "x" if fault == "wrong" else PASSPHRASE)
    [sentence] = refused.value.errors["passphrase"]
    assert words in sentence and sentence.endswith(".") and getattr(refused.value, "unavailable") == (fault == "down")
    assert SIGN in d.ready() and _register(d) == ["000.7.2/1/DKISP/2026"]  # the number, kept
    assert _events(d, "letter_signed") == [] and bsre.state.signed == []
    with pytest.raises(InvalidData):  # a second refusal takes no second number either
        _sign(d, "")
    bsre.state.down, bsre.state.signers[NIK] = False, signer
    _sign(d, PASSPHRASE)
    assert SIGN not in d.ready() and len(bsre.state.signed) == 1
    assert _register(d) == ["000.7.2/1/DKISP/2026"]
    assert [e.data["number"] for e in _events(d, "letter_signed")] == ["000.7.2/1/DKISP/2026"]


def test_without_an_nik_nothing_is_signed_and_no_number_taken(driver, bsre):
    d = driver
    with d.engine.db.transaction() as session:
        session.scalars(select(User).where(User.username == "kadis")).one().nik = None
    with pytest.raises(InvalidData) as refused:
        _sign(d, PASSPHRASE)
    assert "NIK" in refused.value.errors["passphrase"][0] and _register(d) == [] and bsre.state.signed == []


def test_a_returned_letter_needs_no_passphrase(driver, bsre):
    d = driver
    task = d.ready()[SIGN]
    d.engine.complete_task(task.id, {"decision": "return", "note": "Perbaiki tanggal rapat"}, d.actor("kadis"))
    assert SIGN not in d.ready() and _register(d) == [] and bsre.state.signed == []


def test_the_passphrase_is_never_stored_logged_or_audited(driver, bsre, caplog, tmp_path):
    d = driver
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InvalidData) as refused:
        _sign(d, PASSPHRASE + "x")
    _sign(d, PASSPHRASE)
    d.work()
    assert PASSPHRASE not in caplog.text and PASSPHRASE not in repr(refused.value.errors)
    assert all(PASSPHRASE not in str(e.data) for e in d.engine.events(d.instance_id, d.actor("admin")))
    needle = PASSPHRASE.encode()
    with d.engine.db.write_engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    if isinstance(value, bytes):  # the instance state is packed
                        with contextlib.suppress(ValueError):
                            raw = unpacked(value)
                    assert needle not in raw, table
    url = str(d.engine.db.write_engine.url)
    if url.startswith("sqlite"):
        for path in tmp_path.glob("vicon.sqlite*"):
            assert needle not in path.read_bytes()
    for path in (tmp_path / "outbox").glob("*"):
        assert needle not in path.read_bytes()
