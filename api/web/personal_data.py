"""The admin's page for one person's data (UU 27/2022): find a contact by
e-mail or phone, download what is held as JSON, erase it on request."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import InvalidData

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_personal_data", __name__)
errors.attach(bp)


def _found(needle: str):
    return engine().privacy.export(needle, current_actor(), page_lang())


@bp.get("/admin/data-pribadi")
@login_required
def page():
    """The search form, and what is held about the person searched for (admin)."""
    needle = request.args.get("q", "").strip()
    found, problems = None, {}
    if needle:
        try:
            found = _found(needle)
        except InvalidData as exc:
            problems = exc.errors
    elif not current_actor().has("admin"):
        abort(403)
    return render_template("web/personal_data.html", needle=needle, found=found,
                           problems=problems), 422 if problems else 200


@bp.get("/admin/data-pribadi/ekspor.json")
@login_required
def download():
    """Everything held about the person as a JSON file."""
    try:
        found = _found(request.args.get("q", ""))
    except InvalidData as exc:
        return errors.error_page(422, " ".join(exc.errors.get("q", [])))
    body = json.dumps(found, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="data-pribadi.json"'})


@bp.post("/admin/data-pribadi/hapus")
@login_required
def erase():
    """Erase the person's data from every request holding it (audited, without the values)."""
    needle = request.form.get("q", "").strip()
    try:
        erased = engine().privacy.erase(needle, current_actor(), page_lang())
    except InvalidData as exc:
        return render_template("web/personal_data.html", needle=needle, found=None,
                               problems=exc.errors), 422
    flash(_("Data pribadi dihapus dari %(num)d permohonan.", num=len(erased)))
    return redirect(url_for("web_personal_data.page", q=needle))
