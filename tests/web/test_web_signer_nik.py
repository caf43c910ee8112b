"""The signer's NIK on an account: entered and changed on the admin's user page,
checked as 16 digits, never written into the account log."""
from engine.storage.account_models import AccountEvent

from sqlalchemy import select

NIK = "6471010101800001"


def _fields(pages, username):
    user = pages.engine.account_admin.user(username, pages.engine.actor("admin"))
    return {"full_name": user.full_name, "position": user.position or "", "nip": user.nip or "",
            "email": user.email or "", "roles": list(user.roles)}


def test_the_admin_keeps_a_signers_nik_on_the_account(pages):
    admin = pages("admin")
    page = admin.get("/admin/pengguna/kadis").get_data(as_text=True)
    assert 'name="nik"' in page and "NIK penanda tangan" in page
    answer = admin.submit("/admin/pengguna/kadis", dict(_fields(admin, "kadis"), nik=NIK),
                          page="/admin/pengguna/kadis")
    assert answer.status_code == 302
    assert admin.engine.account_admin.user("kadis", admin.engine.actor("admin")).nik == NIK
    assert f'value="{NIK}"' in admin.get("/admin/pengguna/kadis").get_data(as_text=True)
    with admin.engine.db.reading() as session:
        logged = [e.data for e in session.scalars(select(AccountEvent).where(AccountEvent.target == "user:kadis"))]
    assert logged and NIK not in str(logged) and logged[-1].get("nik") is True


def test_an_nik_that_is_not_16_digits_is_refused_in_the_page_language(pages):
    admin = pages("admin")
    answer = admin.submit("/admin/pengguna/kadis", dict(_fields(admin, "kadis"), nik="12345"),
                          page="/admin/pengguna/kadis")
    assert answer.status_code == 422 and "16 angka" in answer.get_data(as_text=True)
    assert admin.engine.account_admin.user("kadis", admin.engine.actor("admin")).nik is None
