"""The home page and the health check; registering them also installs the web
pages (``api.web``), so the app factory needs no change for them."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for

from api import web

bp = Blueprint("pages", __name__)
bp.record_once(lambda state: web.init_app(state.app))
AGENCY = "Dinas Komunikasi dan Informatika Kota Tarakan"


@bp.get("/")
def index():
    """A short page naming the service and pointing to the API description."""
    return render_template("index.html", agency=AGENCY,
                           openapi_url=url_for("api_v1.openapi_document"))


@bp.get("/healthz")
def health():
    """Liveness: the process answers (nothing heavy is checked)."""
    return jsonify({"status": "ok"})
