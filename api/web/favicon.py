"""The site's icon (a camera on the service's blue, drawn for vicon), also at
``/favicon.ico`` where browsers ask for it unprompted."""
from __future__ import annotations

import pathlib
from functools import cache

from flask import Blueprint, Response

bp = Blueprint("web_favicon", __name__)
ICON = pathlib.Path(__file__).resolve().parents[1] / "static" / "favicon.svg"
ONE_WEEK = 7 * 24 * 3600


@cache
def _icon() -> bytes:
    return ICON.read_bytes()


@bp.get("/favicon.ico")
def favicon():
    """The icon as SVG (every browser vicon supports reads an SVG icon)."""
    return Response(_icon(), mimetype="image/svg+xml", headers={"Cache-Control": f"public, max-age={ONE_WEEK}"})
