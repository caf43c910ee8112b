"""Users, roles and agencies as an administrator manages them: create, change
roles, reset a password, deactivate and reactivate; every change logged with
who made it (never a password)."""
from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import delete, func, or_, select

from engine.accounts import access, directory
from engine.accounts.views import AccountEventView, AgencyView, UserView
from engine.errors import InvalidData, NotFound
from engine.accounts.first_admin import MIN_PASSWORD_LENGTH, USERNAME
from engine.accounts.passwords import hash_password
from engine.accounts.roles import ROLES
from engine.accounts.email_address import is_email
from engine.storage.account_models import AccountEvent
from engine.storage.models import Agency, User, UserRole

NIP = re.compile(r"^[0-9]{18}$")
NIK = re.compile(r"^[0-9]{16}$")  # the BSrE signer's Nomor Induk Kependudukan
AGENCY_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
USER_FIELDS = ("full_name", "position", "nip", "nik", "email", "roles", "agency")
MESSAGES = {
    "required": ("Wajib diisi.", "This field is required."),
    "username": ("2-80 huruf kecil, angka, '.', '_' atau '-' (mis. budi.santoso).",
                 "2-80 lower-case letters, digits, '.', '_' or '-' (e.g. budi.santoso)."),
    "taken": ("Nama pengguna ini sudah dipakai.", "This username is taken."),
    "text": ("Paling banyak 200 karakter.", "At most 200 characters."),
    "nip": ("NIP terdiri dari 18 angka.", "An NIP is 18 digits."),
    "nik": ("NIK terdiri dari 16 angka.", "An NIK is 16 digits."),
    "email": ("Alamat e-mail yang valid.", "A valid e-mail address."),
    "roles": ("Pilih paling sedikit satu peran.", "Choose at least one role."),
    "role": ("Peran tidak dikenal.", "Unknown role."),
    "agency": ("Akun OPD harus memilih instansinya.", "An agency account needs its agency."),
    "agency_only": ("Hanya akun OPD yang terikat pada instansi.", "Only agency accounts belong to an agency."),
    "agency_unknown": ("Instansi tidak dikenal.", "Unknown agency."),
    "self_admin": ("Anda tidak dapat mencabut peran admin Anda sendiri.", "You cannot remove your own admin role."),
    "self_active": ("Anda tidak dapat menonaktifkan akun Anda sendiri.", "You cannot deactivate your own account."),
    "password": (f"Paling sedikit {MIN_PASSWORD_LENGTH} karakter.",
                 f"At least {MIN_PASSWORD_LENGTH} characters."),
    "code": ("2-40 huruf kecil, angka atau tanda hubung (mis. dinkes).",
             "2-40 lower-case letters, digits or hyphens (e.g. dinkes)."),
    "code_taken": ("Kode instansi ini sudah dipakai.", "This agency code is taken."),
    "name": ("Nama 1-200 karakter.", "A name of 1-200 characters."),
}


def _say(code: str, lang: str) -> str:
    return MESSAGES[code][0 if lang == "id" else 1]


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def generated_password() -> str:
    """A temporary password to read out or copy once (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


class AccountAdmin:
    """The admin's account management (the engine's ``account_admin``)."""

    def __init__(self, kernel):
        self.kernel = kernel

    # -- users ------------------------------------------------------------------

    def users(self, actor, q: str = "") -> list[UserView]:
        """Every account (or those whose username, name or position contains ``q``)."""
        access.require_role(actor, "admin")
        with self.kernel.db.reading() as session:
            query = select(User)
            if q.strip():
                like = f"%{q.strip().lower().replace('%', '').replace('_', '')}%"
                query = query.where(or_(func.lower(User.username).like(like), func.lower(User.full_name).like(like),
                                        func.lower(User.position).like(like)))
            return [self._view(session, u) for u in session.scalars(query.order_by(User.username).limit(500))]

    def user(self, username: str, actor) -> UserView:
        """One account."""
        access.require_role(actor, "admin")
        with self.kernel.db.reading() as session:
            return self._view(session, self._user(session, username))

    def create_user(self, data: dict, actor, lang: str = "id") -> tuple[UserView, str | None]:
        """Create an account; returns it and the generated password (None when the
        admin typed one). InvalidData names the wrong fields."""
        access.require_role(actor, "admin")
        username = _text(data, "username")
        password = data.get("password") or ""
        with self.kernel.db.transaction() as session:
            errors, fields = self._checked(session, data, lang)
            if not USERNAME.match(username):
                errors["username"] = [_say("username", lang)]
            elif session.scalar(select(User.id).where(User.username == username)) is not None:
                errors["username"] = [_say("taken", lang)]
            if password and len(password) < MIN_PASSWORD_LENGTH:
                errors["password"] = [_say("password", lang)]
            if errors:
                raise InvalidData(errors)
            secret = password or generated_password()
            shown = None if password else secret
            user = User(username=username, password_hash=hash_password(secret), active=True)
            session.add(user)
            self._apply(session, user, fields)
            self._log(session, actor, username, "user_created", _logged(fields))
            return self._view(session, user), shown

    def update_user(self, username: str, data: dict, actor, lang: str = "id") -> UserView:
        """Change an account's name, position, NIP, e-mail, roles and agency."""
        access.require_role(actor, "admin")
        with self.kernel.db.transaction() as session:
            user = self._user(session, username)
            errors, fields = self._checked(session, data, lang)
            if username == actor.username and "admin" not in fields["roles"]:
                errors.setdefault("roles", []).append(_say("self_admin", lang))
            if errors:
                raise InvalidData(errors)
            before = self._view(session, user)
            self._apply(session, user, fields)
            changed = {k: v for k, v in fields.items() if _before(before, k) != v}
            self._log(session, actor, username, "user_changed", _logged(changed))
            return self._view(session, user)

    def reset_password(self, username: str, password: str | None, actor, lang: str = "id") -> str | None:
        """Set a temporary password (typed, or generated and returned to show once)."""
        access.require_role(actor, "admin")
        if password and len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidData({"password": [_say("password", lang)]})
        secret = password or generated_password()
        shown = None if password else secret
        with self.kernel.db.transaction() as session:
            user = self._user(session, username)
            user.password_hash = hash_password(secret)
            directory.end_sessions(user)
            self._log(session, actor, username, "password_reset", {"generated": shown is not None})
        return shown

    def set_active(self, username: str, active: bool, actor, lang: str = "id") -> UserView:
        """Deactivate (cannot sign in, tokens refused) or reactivate an account."""
        access.require_role(actor, "admin")
        if username == actor.username and not active:
            raise InvalidData({"active": [_say("self_active", lang)]})
        with self.kernel.db.transaction() as session:
            user = self._user(session, username)
            user.active = bool(active)
            if not active:
                directory.end_sessions(user)
            self._log(session, actor, username, "user_activated" if active else "user_deactivated", {})
            return self._view(session, user)

    def end_sessions(self, actor) -> None:
        """Sign ``actor`` out everywhere: every token and session cookie of theirs ends."""
        with self.kernel.db.transaction() as session:
            directory.end_sessions(self._user(session, actor.username))

    # -- agencies ---------------------------------------------------------------

    def agencies(self, actor) -> list[AgencyView]:
        """Every agency with its number of accounts."""
        access.require_role(actor, "admin")
        with self.kernel.db.reading() as session:
            counts = dict(session.execute(select(User.agency_id, func.count()).group_by(User.agency_id)).all())
            return [AgencyView(a.code, a.name, a.email, counts.get(a.id, 0))
                    for a in session.scalars(select(Agency).order_by(Agency.name))]

    def save_agency(self, data: dict, actor, lang: str = "id", code: str | None = None) -> AgencyView:
        """Create an agency (``code`` None) or change the one with ``code``."""
        access.require_role(actor, "admin")
        new_code, name, email = _text(data, "code"), _text(data, "name"), _text(data, "email") or None
        errors = {}
        if not name or len(name) > 200:
            errors["name"] = [_say("name", lang)]
        if email and not is_email(email):
            errors["email"] = [_say("email", lang)]
        with self.kernel.db.transaction() as session:
            agency = None
            if code is not None:
                agency = session.scalars(select(Agency).where(Agency.code == code)).first()
                if agency is None:
                    raise NotFound("no such agency", "instansi tidak ditemukan")
            elif not AGENCY_CODE.match(new_code):
                errors["code"] = [_say("code", lang)]
            elif session.scalar(select(Agency.id).where(Agency.code == new_code)) is not None:
                errors["code"] = [_say("code_taken", lang)]
            if errors:
                raise InvalidData(errors)
            if agency is None:
                agency = Agency(code=new_code, name=name, email=email)
                session.add(agency)
            agency.name, agency.email = name, email
            session.flush()
            self._log(session, actor, f"agency:{agency.code}", "agency_created" if code is None else "agency_changed",
                      {"name": name, "email": email})
            return AgencyView(agency.code, agency.name, agency.email)

    def events(self, actor, limit: int = 30) -> list[AccountEventView]:
        """The newest changes to accounts and agencies."""
        access.require_role(actor, "admin")
        with self.kernel.db.reading() as session:
            rows = session.scalars(select(AccountEvent).order_by(AccountEvent.at.desc(), AccountEvent.id.desc())
                                   .limit(limit))
            return [AccountEventView(r.at, r.actor, r.target, r.action, r.data) for r in rows]

    # -- internals ----------------------------------------------------------------

    def _checked(self, session, data: dict, lang: str) -> tuple[dict, dict]:
        errors: dict = {}
        fields: dict[str, Any] = {k: _text(data, k) or None
                                  for k in ("full_name", "position", "nip", "nik", "email", "agency")}
        if not fields["full_name"]:
            errors["full_name"] = [_say("required", lang)]
        for name in ("full_name", "position"):
            if fields[name] and len(fields[name]) > 200:
                errors[name] = [_say("text", lang)]
        if fields["nip"] and not NIP.match(fields["nip"]):
            errors["nip"] = [_say("nip", lang)]
        if fields["nik"] and not NIK.match(fields["nik"]):
            errors["nik"] = [_say("nik", lang)]
        if fields["email"] and not is_email(fields["email"]):
            errors["email"] = [_say("email", lang)]
        roles = data.get("roles") or []
        roles = sorted({r for r in roles if isinstance(r, str)})
        if not roles:
            errors["roles"] = [_say("roles", lang)]
        elif set(roles) - set(ROLES):
            errors["roles"] = [_say("role", lang)]
        fields["roles"] = roles
        if "opd" in roles and not fields["agency"]:
            errors["agency"] = [_say("agency", lang)]
        elif fields["agency"] and "opd" not in roles:
            errors["agency"] = [_say("agency_only", lang)]
        elif fields["agency"] and session.scalar(select(Agency.id).where(Agency.code == fields["agency"])) is None:
            errors["agency"] = [_say("agency_unknown", lang)]
        return errors, fields

    @staticmethod
    def _apply(session, user: User, fields: dict) -> None:
        user.full_name = fields["full_name"] or ""
        user.position, user.nip, user.email = fields["position"], fields["nip"], fields["email"]
        user.nik = fields["nik"]
        user.agency_id = session.scalar(select(Agency.id).where(Agency.code == fields["agency"])) \
            if fields["agency"] else None
        session.flush()
        session.execute(delete(UserRole).where(UserRole.user_id == user.id))
        session.add_all(UserRole(user_id=user.id, role=r) for r in fields["roles"])
        session.flush()

    def _log(self, session, actor, target: str, action: str, data: dict) -> None:
        session.add(AccountEvent(at=self.kernel.clock.now(), actor=actor.username,
                                 target=target if ":" in target else f"user:{target}", action=action,
                                 data=data))

    @staticmethod
    def _user(session, username: str) -> User:
        user = session.scalars(select(User).where(User.username == str(username))).first()
        if user is None:
            raise NotFound("no such account", "akun tidak ditemukan")
        return user

    @staticmethod
    def _view(session, user: User) -> UserView:
        roles = tuple(sorted(session.scalars(select(UserRole.role).where(UserRole.user_id == user.id))))
        code = session.scalar(select(Agency.code).where(Agency.id == user.agency_id)) if user.agency_id else None
        return UserView(user.username, user.full_name, user.position, user.nip, user.email, roles, code,
                        bool(user.active), nik=user.nik)


def _logged(fields: dict) -> dict:
    """The account log's copy of changed fields: whether an NIK is set, never the NIK (personal data)."""
    return {**fields, "nik": bool(fields["nik"])} if "nik" in fields else fields


def _before(view: UserView, key: str):
    return list(view.roles) if key == "roles" else view.agency if key == "agency" else getattr(view, key)
