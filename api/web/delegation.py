"""The Kadis's or Kabid's page for naming an acting official (Plt): who, from
which day to which day; ending one early."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import InvalidData

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_delegation", __name__)
errors.attach(bp)
FIELDS = ("deputy", "starts_on", "ends_on")


def _page(values=None, problems=None, status=200):
    actor = current_actor()
    desk = engine().delegations
    return render_template("web/delegation.html", given=desk.given_by(actor), candidates=desk.candidates(actor),
                           values=values or {}, problems=problems or {}), status


@bp.get("/plt")
@login_required
def page():
    """The actor's acting officials, and a form to name one."""
    return _page()


@bp.post("/plt")
@login_required
def name():
    """Name a deputy for a range of days."""
    data = {k: request.form.get(k, "").strip() for k in FIELDS}
    try:
        engine().delegations.name(current_actor(), data["deputy"], data["starts_on"], data["ends_on"], page_lang())
    except InvalidData as exc:
        return _page(data, exc.errors, 422)
    flash(_("Plt ditunjuk: %(user)s, %(first)s s.d. %(last)s.", user=data["deputy"], first=data["starts_on"],
            last=data["ends_on"]))
    return redirect(url_for("web_delegation.page"))


@bp.post("/plt/<int:delegation_id>/akhiri")
@login_required
def end(delegation_id: int):
    """End an acting official early."""
    engine().delegations.cancel(delegation_id, current_actor())
    flash(_("Penunjukan Plt diakhiri."))
    return redirect(url_for("web_delegation.page"))
