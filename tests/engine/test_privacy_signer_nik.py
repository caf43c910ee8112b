"""A signer's NIK is personal data: exported with the person's accounts (by e-mail
or by the NIK itself) and cleared by an erasure, the account staying."""
from __future__ import annotations

from sqlalchemy import select

from engine.storage.models import User
from tests.engine.driver import Driver

NIK = "6201010101800001"  # begins with 62: read as typed, not as a phone number


def _give_nik(engine, username: str, email: str) -> None:
    with engine.db.transaction() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        user.nik, user.email = NIK, email


def test_the_nik_is_exported_by_email_or_nik_and_erased_on_request(make_engine):
    engine = make_engine()
    Driver(engine)
    _give_nik(engine, "kadis", "kadis@tarakankota.go.id")
    admin = engine.actor("admin")
    for needle in ("Kadis@tarakankota.go.id", NIK):
        accounts = engine.privacy.export(needle, admin)["accounts"]
        assert [(a["username"], a["nik"]) for a in accounts] == [("kadis", NIK)]
    assert engine.privacy.export("orang.lain@example.go.id", admin)["accounts"] == []
    engine.privacy.erase("kadis@tarakankota.go.id", admin)
    assert engine.account_admin.user("kadis", admin).nik is None
    assert engine.privacy.export(NIK, admin)["accounts"] == []
    assert engine.actor("kadis") is not None  # the account itself stays
    events = engine.account_admin.events(admin)
    assert any(e.action == "nik_erased" and e.target == "user:kadis" and NIK not in str(e.data) for e in events)
