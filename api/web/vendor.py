"""Front-end libraries installed from the npm registry (``make run`` / ``make test``
run ``npm ci``), served from ``node_modules`` without ever being committed."""
from __future__ import annotations

import pathlib

from flask import Blueprint, abort, send_from_directory

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Only the built bundles of the packages the pages use are reachable.
PACKAGES = {"bpmn-js": ROOT / "node_modules" / "bpmn-js" / "dist"}

bp = Blueprint("vendor", __name__)


@bp.get("/vendor/<package>/<path:filename>")
def asset(package: str, filename: str):
    """One file of an npm package's distribution, cacheable for a day."""
    folder = PACKAGES.get(package)
    if folder is None or not folder.is_dir():
        abort(404)
    return send_from_directory(folder, filename, max_age=86400)
