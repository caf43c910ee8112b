"""Readiness: ``/readyz`` answers 200 only while the database answers, so a
load balancer sends no traffic to a process that cannot serve it
(``/healthz``, in pages.py, is liveness: the process itself answers)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from api import context

bp = Blueprint("health", __name__)


@bp.get("/readyz")
def ready():
    """200 when the database answers, 503 otherwise (no detail: it may name hosts)."""
    if context.engine().database_ready():
        return jsonify({"status": "ready", "database": "ok"})
    return jsonify({"status": "unavailable", "database": "down"}), 503
