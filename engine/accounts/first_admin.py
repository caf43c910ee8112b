"""The first administrator of a production database (demo mode seeds its own)."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.accounts import directory as accounts
from engine.errors import Conflict, InvalidData
from engine.storage.models import User

MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")


def problems(username: str, password: str) -> dict[str, list[str]]:
    """Field-level problems with the proposed credentials (empty: acceptable)."""
    found = {}
    if not USERNAME.match(username):
        found["username"] = ["2-80 lower-case letters, digits, '.', '_' or '-'"]
    if len(password) < MIN_PASSWORD_LENGTH:
        found["password"] = [f"at least {MIN_PASSWORD_LENGTH} characters"]
    return found


def create(session, username: str, password: str, full_name: str) -> None:
    """Create an active account with the ``admin`` role; an existing username
    is refused (this never resets someone's password)."""
    found = problems(username, password)
    if found:
        raise InvalidData(found)
    if session.scalars(select(User.id).where(User.username == username)).first() is not None:
        raise Conflict(f"the account {username!r} exists already",
                       f"akun {username!r} sudah ada")
    accounts.upsert_user(session, username, password, ["admin"], full_name=full_name)
