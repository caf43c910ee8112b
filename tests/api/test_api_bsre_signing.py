"""The JSON API's completion of the Kadis's signature with BSrE: ``passphrase``
beside ``data``; a refusal answers its sentence on that field (422, or 502 when
BSrE is down) and the step stays open; the passphrase is never stored."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.letters.bsre import BsreSettings, BsreSignature
from engine.letters.press import LetterPress
from engine.storage.models import User
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE, to_signature
from tests.fakes.bsre_server import CLIENT_ID, CLIENT_SECRET, BsreServer, Signer
from tests.api.client import Api

NIK, PASSPHRASE = "6471010101800001", "Frasa-Sandi-Kadis-7311!"


@pytest.fixture
def signing(make_app, clock):
    with BsreServer({NIK: Signer(PASSPHRASE)}) as bsre:
        settings = BsreSettings(url=bsre.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        app = make_app({"letters": OFFICE}, press=LetterPress(BsreSignature(settings)))
        api = Api(app)
        with api.engine.db.transaction() as session:
            session.scalars(select(User).where(User.username == "kadis")).one().nik = NIK
        d = Driver(api.engine)
        to_signature(d, clock)
        yield api, d, bsre


def _complete(api, d, body):
    task = next(t for t in d.ready().values() if t.name == "T09_sign_letter")
    return api.post(f"/tasks/{task.id}/complete", "kadis", json=body)


def test_the_passphrase_signs_and_a_refusal_is_its_sentence(signing):
    api, d, bsre = signing
    wrong = _complete(api, d, {"data": {"decision": "approve"}, "passphrase": "salah"})
    assert wrong.status_code == 422 and wrong.json["error"] == "signature_refused"
    assert "Passphrase salah" in wrong.json["errors"]["passphrase"][0] == wrong.json["message"]
    bsre.state.down = True
    down = _complete(api, d, {"data": {"decision": "approve"}, "passphrase": PASSPHRASE})
    assert down.status_code == 502 and "tidak dapat dihubungi" in down.json["message"]
    bsre.state.down = False
    missing = _complete(api, d, {"data": {"decision": "approve"}})
    assert missing.status_code == 422 and "passphrase" in missing.json["errors"]
    smuggled = _complete(api, d, {"data": {"decision": "approve", "passphrase": PASSPHRASE}})
    assert smuggled.status_code == 422  # never a form field: it would be kept in the task's data
    assert "T09_sign_letter" in d.ready() and bsre.state.signed == []
    done = _complete(api, d, {"data": {"decision": "approve"}, "passphrase": PASSPHRASE})
    assert done.status_code == 200 and len(bsre.state.signed) == 1
    assert [r["number"] for r in api.engine.letters.register(2026)] == ["000.7.2/1/DKISP/2026"]
    assert PASSPHRASE not in str(api.get(f"/instances/{d.instance_id}/events", "admin").json)
