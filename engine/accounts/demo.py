"""Demo data (demo mode only): Kota Tarakan's agencies, one account per role
and per agency, two Zoom host accounts of capacity 1."""
from __future__ import annotations

from sqlalchemy import select

from engine.accounts import directory as accounts
from engine.storage.models import User

AGENCIES = [
    ("dinkes", "Dinas Kesehatan Kota Tarakan", "dinkes@tarakankota.go.id"),
    ("disdik", "Dinas Pendidikan Kota Tarakan", "disdik@tarakankota.go.id"),
    ("dishub", "Dinas Perhubungan Kota Tarakan", "dishub@tarakankota.go.id"),
    ("dinsos", "Dinas Sosial dan Pemberdayaan Masyarakat Kota Tarakan", "dinsos@tarakankota.go.id"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah Kota Tarakan", "bappeda@tarakankota.go.id"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah Kota Tarakan", "bpbd@tarakankota.go.id"),
    ("setda", "Sekretariat Daerah Kota Tarakan", "setda@tarakankota.go.id"),
]
STAFF = [
    ("kadis", ["kadis"], "Kepala Dinas Kominfo (demo)", "Kepala Dinas"),
    ("kabid", ["kabid"], "Kepala Bidang Aplikasi dan Informatika (demo)", "Kepala Bidang"),
    ("subkoordinator", ["subkoordinator"], "Subkoordinator e-Government (demo)", "Subkoordinator"),
    ("staf", ["staf"], "Staf Pengelola Zoom (demo)", "Staf"),
    ("manager", ["manager"], "Pemantau Layanan (demo)", "Manajer"),
    ("analyst", ["analyst"], "Analis Proses (demo)", "Analis"),
    ("admin", ["admin"], "Administrator (demo)", "Administrator"),
]
HOSTS = [("zoom-1", "Zoom Diskominfo 1", "zoom1@tarakankota.go.id"),
         ("zoom-2", "Zoom Diskominfo 2", "zoom2@tarakankota.go.id")]


def seed(db, password: str) -> None:
    """Create or refresh the demo agencies, accounts and hosts."""
    with db.transaction() as session:
        for code, name, email in AGENCIES:
            accounts.upsert_agency(session, code, name, email)
            accounts.upsert_user(session, f"opd.{code}", password, ["opd"], full_name=f"Admin {name}",
                                 agency_code=code, position="Kepala OPD", email=email)
        for username, roles, full_name, position in STAFF:
            accounts.upsert_user(session, username, password, roles, full_name=full_name, position=position,
                                 email=f"{username}@diskominfo.tarakankota.go.id")
        for host_id, name, email in HOSTS:
            accounts.upsert_host(session, host_id, name, capacity=1, max_participants=300, email=email)


def seeded_names() -> dict[str, str]:
    """Each demo username with the full name ``seed`` gives it."""
    names = {f"opd.{code}": f"Admin {name}" for code, name, _ in AGENCIES}
    names.update({username: full_name for username, _, full_name, _ in STAFF})
    return names


def accounts_present(session) -> list[str]:
    """The active demo accounts in the database (a username and full name as
    ``seed`` left them: an admin who merely chose the name ``admin`` is not one)."""
    names = seeded_names()
    rows = session.execute(select(User.username, User.full_name).where(
        User.username.in_(names), User.active.is_(True))).all()
    return sorted(username for username, full_name in rows if names[username] == full_name)
