"""The public service standard (UU 25/2009), readable without signing in."""
from __future__ import annotations

from flask import Blueprint, render_template

from api.context import engine
from api.web import errors

bp = Blueprint("web_public", __name__)
errors.attach(bp)


@bp.get("/standar-layanan")
def service_standard():
    """Requirements, steps, time standards, product, cost and complaint channels."""
    return render_template("web/standard.html", lead_time=engine().settings.lead_time_label)
