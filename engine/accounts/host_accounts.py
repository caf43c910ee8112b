"""Host accounts (licensed Zoom users we own), managed by an admin.

Capacity is how many meetings the account may run at once: 1 on Zoom Pro,
2 on Business and up (more with the concurrent-meeting add-on). The
participant limit is the licence's meeting size.
"""
from __future__ import annotations

import logging
import re

from sqlalchemy import select

from engine.accounts import access
from engine.accounts.email_address import is_email
from engine.errors import Conflict, InvalidData, NotFound
from engine.storage.models import HostAccount
from engine.views import HostAccountView

log = logging.getLogger("vicon")
HOST_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
PARTICIPANT_LIMITS = (100, 300, 500, 1000)
MAX_CAPACITY = 20
FIELDS = ("name", "email", "capacity", "max_participants", "active")
MESSAGES = {
    "required": ("Wajib diisi.", "This field is required."),
    "unknown": ("Isian tidak dikenal.", "Unknown field."),
    "id": ("Huruf kecil, angka dan tanda hubung, 2-40 karakter (mis. zoom-3).",
           "Lower-case letters, digits and hyphens, 2-40 characters (e.g. zoom-3)."),
    "name": ("Nama 1-200 karakter.", "A name of 1-200 characters."),
    "email": ("Alamat e-mail pengguna Zoom yang valid.", "A valid Zoom user e-mail address."),
    "capacity": (f"Bilangan bulat 1-{MAX_CAPACITY}: 1 untuk Zoom Pro, 2 untuk Business ke atas.",
                 f"A whole number 1-{MAX_CAPACITY}: 1 for Zoom Pro, 2 for Business and up."),
    "max_participants": ("Salah satu dari " + ", ".join(map(str, PARTICIPANT_LIMITS)) + ".",
                         "One of " + ", ".join(map(str, PARTICIPANT_LIMITS)) + "."),
    "active": ("Harus true atau false.", "Must be true or false."),
}


def _say(code: str, lang: str) -> str:
    return MESSAGES[code][0 if lang == "id" else 1]


def _view(row: HostAccount) -> HostAccountView:
    return HostAccountView(row.id, row.name, row.email, row.capacity, row.max_participants, row.active)


def _field_problem(name: str, value) -> str | None:
    """The message code of what is wrong with one field, or None."""
    if name == "name":
        ok = isinstance(value, str) and 0 < len(value.strip()) <= 200
    elif name == "email":
        ok = value is None or is_email(value)
    elif name == "capacity":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_CAPACITY
    elif name == "max_participants":
        ok = isinstance(value, int) and not isinstance(value, bool) and value in PARTICIPANT_LIMITS
    else:
        ok = isinstance(value, bool)
    return None if ok else name


def _checked(data, lang: str, *, creating: bool) -> dict:
    if not isinstance(data, dict):
        raise InvalidData({"_form": [_say("required", lang)]})
    allowed = FIELDS + (("id",) if creating else ())
    errors = {k: [_say("unknown", lang)] for k in data if k not in allowed}
    if creating:
        for name in ("id", "name", "capacity", "max_participants"):
            if name not in data:
                errors[name] = [_say("required", lang)]
        if "id" in data and not (isinstance(data["id"], str) and HOST_ID.match(data["id"])):
            errors["id"] = [_say("id", lang)]
    for name in FIELDS:
        if name in data and (problem := _field_problem(name, data[name])):
            errors[name] = [_say(problem, lang)]
    if errors:
        raise InvalidData(errors)
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


def list_all(kernel, actor) -> list[HostAccountView]:
    """Every host account, active first (admin)."""
    access.require_role(actor, "admin")
    with kernel.db.reading() as session:
        rows = session.scalars(select(HostAccount).order_by(HostAccount.active.desc(), HostAccount.id))
        return [_view(r) for r in rows]


def create(kernel, data, actor, lang: str = "id") -> HostAccountView:
    """Add a host account (admin); Conflict when the id is taken."""
    access.require_role(actor, "admin")
    data = _checked(data, lang, creating=True)
    with kernel.db.transaction() as session:
        if session.get(HostAccount, data["id"]) is not None:
            raise Conflict("a host account with this id exists", "akun host dengan id ini sudah ada")
        row = HostAccount(id=data["id"], name=data["name"], email=data.get("email"), capacity=data["capacity"],
                          max_participants=data["max_participants"], active=data.get("active", True))
        session.add(row)
        log.info("host account %s created by %s", row.id, actor.username)
        return _view(row)


def update(kernel, host_id: str, data, actor, lang: str = "id") -> HostAccountView:
    """Change a host account's fields (admin); its id stays."""
    access.require_role(actor, "admin")
    data = _checked(data, lang, creating=False)
    with kernel.db.transaction() as session:
        row = session.get(HostAccount, str(host_id))
        if row is None:
            raise NotFound("no such host account", "akun host tidak ditemukan")
        for name, value in data.items():
            setattr(row, name, value)
        log.info("host account %s changed by %s: %s", row.id, actor.username, sorted(data))
        return _view(row)
