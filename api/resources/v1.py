"""The JSON API, version 1, under ``/api/v1``: its resources, the token check
in front of them, and the OpenAPI document describing them."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from api import auth
from api.resources import definitions
from api.resources import host_accounts
from api.resources import instances
from api.resources import jobs
from api.resources import letters
from api.resources import meetings
from api.resources import personal_data
from api.resources import tasks
from api.resources import time
from api.resources.openapi import build_spec, operation
from api.resources import oversight
from api.resources import process_versions
from api.resources import delegations

SPEC_CACHE = "vicon.openapi"


def blueprint() -> Blueprint:
    """A fresh ``/api/v1`` blueprint (one per app, so tests can build many apps)."""
    bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
    bp.before_request(auth.require_actor)
    bp.add_url_rule("/openapi.json", view_func=openapi_document)
    for child in (auth.bp, definitions.bp, tasks.bp, instances.bp, letters.bp, jobs.bp, time.bp,
                  meetings.bp, host_accounts.bp, personal_data.bp):
        bp.register_blueprint(child)
    bp.register_blueprint(oversight.bp)  # managers' monitoring
    bp.register_blueprint(process_versions.bp)  # analysts: uploads, versions, migrations
    bp.register_blueprint(delegations.bp)  # acting officials (Plt), tracking links
    return bp


@operation("Dokumen OpenAPI 3 API ini", public=True, tag="meta")
def openapi_document():
    """The OpenAPI document, built once per app."""
    spec = current_app.extensions.get(SPEC_CACHE)
    if spec is None:
        spec = current_app.extensions[SPEC_CACHE] = build_spec(current_app)
    return jsonify(spec)
