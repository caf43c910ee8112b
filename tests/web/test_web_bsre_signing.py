"""The Kadis's signing confirmation with BSrE: a passphrase field; a refusal is one
sentence on the page in its language, the step open; the passphrase is never
shown back; the right one signs."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.letters.bsre import BsreSettings, BsreSignature
from engine.letters.press import LetterPress
from engine.storage.models import User
from tests.engine.letter_setup import OFFICE
from tests.fakes.bsre_server import CLIENT_ID, CLIENT_SECRET, BsreServer, Signer
from tests.web.browser import Pages
from tests.web.flow import PageSop

NIK, PASSPHRASE = "6471010101800001", "Frasa-Sandi-Kadis-7311!"


@pytest.fixture
def bsre():
    with BsreServer({NIK: Signer(PASSPHRASE)}) as server:
        yield server


@pytest.fixture
def app(make_app, bsre):
    settings = BsreSettings(url=bsre.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    app = make_app({"letters": OFFICE}, press=LetterPress(BsreSignature(settings)))
    with app.extensions["vicon"].db.transaction() as session:
        session.scalars(select(User).where(User.username == "kadis")).one().nik = NIK
    return app


@pytest.fixture
def pages(app):
    made = {}

    def build(username):
        if username not in made:
            made[username] = Pages(app, username)
        return made[username]
    return build


def _to_signing(sop):
    sop.submit()
    while (task := sop.ready()[0]).name != "T09_sign_letter":
        sop.complete_next()
    return task


def test_the_confirmation_asks_the_passphrase_and_a_refusal_is_one_sentence(pages, clock, bsre):
    sop = PageSop(pages, clock)
    signing = _to_signing(sop)
    kadis = pages("kadis")
    path = f"/tugas/{signing.id}/tandatangani"
    asked = kadis.get(path).get_data(as_text=True)
    assert 'name="passphrase" type="password"' in asked and "Passphrase TTE (BSrE)" in asked
    wrong = kadis.submit(path, {"confirm": "yes", "passphrase": "salah-ketik"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Passphrase salah sehingga surat belum ditandatangani" in page
    assert "salah-ketik" not in page and [t.id for t in sop.ready()] == [signing.id]
    bsre.state.down = True
    kadis.submit("/bahasa", {"lang": "en", "next": path}, page=path)
    down = kadis.submit(path, {"confirm": "yes", "passphrase": PASSPHRASE})
    page = down.get_data(as_text=True)
    assert down.status_code == 502 and "cannot be reached now" in page and PASSPHRASE not in page
    bsre.state.down = False
    assert kadis.submit(path, {"confirm": "yes", "passphrase": PASSPHRASE}).status_code == 302
    kadis.work()
    assert [t.name for t in sop.ready()] == ["T10_acknowledge_receipt"] and len(bsre.state.signed) == 1
