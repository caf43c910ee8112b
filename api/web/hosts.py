"""The admin's page of Zoom host accounts: the licensed users meetings are
made on, with their concurrency and participant limit."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import InvalidData

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_hosts", __name__)
errors.attach(bp)
FIELDS = ("id", "name", "email", "capacity", "max_participants")


def _page(values=None, problems=None, editing=None, status=200):
    hosts = engine().host_accounts(current_actor())
    return render_template("web/hosts.html", hosts=hosts, values=values or {}, problems=problems or {},
                           editing=editing), status


def _form_data(fields) -> dict:
    data: dict[str, Any] = {k: request.form.get(k, "").strip() for k in fields if k in request.form}
    for number in ("capacity", "max_participants"):
        if data.get(number, "").isdigit():
            data[number] = int(data[number])
    if "email" in data and not data["email"]:
        data["email"] = None
    return data


@bp.get("/admin/akun-zoom")
@login_required
def hosts():
    """Every host account, and a form to add one (admin)."""
    return _page()


@bp.post("/admin/akun-zoom")
@login_required
def add_host():
    """Add a host account."""
    data = _form_data(FIELDS)
    try:
        engine().create_host_account(data, current_actor(), page_lang())
    except InvalidData as exc:
        return _page(data, exc.errors, status=422)
    flash(_("Akun host %(id)s ditambahkan.", id=data["id"]))
    return redirect(url_for("web_hosts.hosts"))


@bp.post("/admin/akun-zoom/<host_id>")
@login_required
def change_host(host_id: str):
    """Change a host account (name, e-mail, limits, active)."""
    data = _form_data(FIELDS[1:])
    data["active"] = request.form.get("active") == "1"
    try:
        engine().update_host_account(host_id, data, current_actor(), page_lang())
    except InvalidData as exc:
        return _page(dict(data, id=host_id), exc.errors, editing=host_id, status=422)
    flash(_("Akun host %(id)s diperbarui.", id=host_id))
    return redirect(url_for("web_hosts.hosts"))
