"""The admin's pages for users, roles and agencies: search, create, change roles,
reset a password (a generated one is shown once), deactivate and reactivate;
agencies listed, added and changed. The engine logs who changed what."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import InvalidData

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_accounts", __name__)
errors.attach(bp)
ROLE_LABELS = {"opd": _l("OPD pemohon"), "kadis": _l("Kepala Dinas"), "kabid": _l("Kepala Bidang"),
               "subkoordinator": _l("Subkoordinator"), "staf": _l("Staf / sekretariat"),
               "manager": _l("Pemantau layanan"), "analyst": _l("Analis proses"), "admin": _l("Administrator")}
USER_FIELDS = ("username", "full_name", "position", "nip", "nik", "email", "agency", "password")
ACTIONS = {"user_created": _l("akun dibuat"), "user_changed": _l("akun diubah"),
           "password_reset": _l("kata sandi diatur ulang"), "user_deactivated": _l("akun dinonaktifkan"),
           "user_activated": _l("akun diaktifkan"), "agency_created": _l("instansi ditambahkan"),
           "agency_changed": _l("instansi diubah"), "delegation_named": _l("Plt ditunjuk"),
           "delegation_ended": _l("Plt diakhiri")}


def _user_form(names=USER_FIELDS) -> dict:
    data: dict[str, Any] = {k: request.form.get(k, "") for k in names if k in request.form}
    data["roles"] = request.form.getlist("roles")
    return data


def _no_store(body, status=200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _users_page(values=None, problems=None, created=None, status=200):
    actor = current_actor()
    q = request.args.get("q", "").strip()
    admin = engine().account_admin
    return _no_store(render_template(
        "web/users.html", users=admin.users(actor, q), q=q, agencies=admin.agencies(actor),
        events=admin.events(actor), roles=ROLE_LABELS, actions=ACTIONS, values=values or {"roles": []},
        problems=problems or {}, created=created), status)


@bp.get("/admin/pengguna")
@login_required
def users():
    """Every account (searchable), a form to add one, the latest changes (admin)."""
    return _users_page()


@bp.post("/admin/pengguna")
@login_required
def create_user():
    """Add an account; a generated password is shown once on the answer."""
    data = _user_form()
    try:
        user, password = engine().account_admin.create_user(data, current_actor(), page_lang())
    except InvalidData as exc:
        data.pop("password", None)
        return _users_page(data, exc.errors, status=422)
    flash(_("Akun %(user)s dibuat.", user=user.username))
    return _users_page(created=(user.username, password))


def _user_page(username: str, values=None, problems=None, password=None, status=200):
    actor = current_actor()
    admin = engine().account_admin
    user = admin.user(username, actor)
    shown = values or {"full_name": user.full_name, "position": user.position, "nip": user.nip,
                       "nik": user.nik, "email": user.email, "agency": user.agency, "roles": list(user.roles)}
    return _no_store(render_template("web/user.html", account=user, values=shown, problems=problems or {},
                                     agencies=admin.agencies(actor), roles=ROLE_LABELS,
                                     new_password=password), status)


@bp.get("/admin/pengguna/<username>")
@login_required
def user(username: str):
    """One account: details and roles, password reset, active or not."""
    return _user_page(username)


@bp.post("/admin/pengguna/<username>")
@login_required
def change_user(username: str):
    """Change an account's details, roles and agency."""
    data = _user_form(USER_FIELDS[1:-1])
    try:
        engine().account_admin.update_user(username, data, current_actor(), page_lang())
    except InvalidData as exc:
        return _user_page(username, data, exc.errors, status=422)
    flash(_("Akun %(user)s diperbarui.", user=username))
    return redirect(url_for("web_accounts.user", username=username))


@bp.post("/admin/pengguna/<username>/sandi")
@login_required
def reset_password(username: str):
    """Set a temporary password: the typed one, or a generated one shown once."""
    try:
        shown = engine().account_admin.reset_password(username, request.form.get("password", ""),
                                                      current_actor(), page_lang())
    except InvalidData as exc:
        return _user_page(username, problems=exc.errors, status=422)
    flash(_("Kata sandi %(user)s telah diatur ulang.", user=username))
    return _user_page(username, password=shown)


@bp.post("/admin/pengguna/<username>/status")
@login_required
def set_active(username: str):
    """Deactivate (no sign-in, tokens refused) or reactivate an account."""
    active = request.form.get("active") == "1"
    try:
        engine().account_admin.set_active(username, active, current_actor(), page_lang())
    except InvalidData as exc:
        return _user_page(username, problems=exc.errors, status=422)
    flash(_("Akun %(user)s diaktifkan.", user=username) if active
          else _("Akun %(user)s dinonaktifkan: tidak dapat masuk atau memakai token.", user=username))
    return redirect(url_for("web_accounts.user", username=username))


def _agencies_page(values=None, problems=None, editing=None, status=200):
    return _no_store(render_template("web/agencies.html", agencies=engine().account_admin.agencies(current_actor()),
                                     values=values or {}, problems=problems or {}, editing=editing), status)


@bp.get("/admin/instansi")
@login_required
def agencies():
    """Every agency, and a form to add one (admin)."""
    return _agencies_page()


@bp.post("/admin/instansi")
@login_required
def add_agency():
    """Add an agency."""
    data = {k: request.form.get(k, "") for k in ("code", "name", "email")}
    try:
        engine().account_admin.save_agency(data, current_actor(), page_lang())
    except InvalidData as exc:
        return _agencies_page(data, exc.errors, status=422)
    flash(_("Instansi %(code)s ditambahkan.", code=data["code"].strip()))
    return redirect(url_for("web_accounts.agencies"))


@bp.post("/admin/instansi/<code>")
@login_required
def change_agency(code: str):
    """Change an agency's name and e-mail."""
    data = {k: request.form.get(k, "") for k in ("name", "email")}
    try:
        engine().account_admin.save_agency(data, current_actor(), page_lang(), code=code)
    except InvalidData as exc:
        return _agencies_page(dict(data, code=code), exc.errors, editing=code, status=422)
    flash(_("Instansi %(code)s diperbarui.", code=code))
    return redirect(url_for("web_accounts.agencies"))
