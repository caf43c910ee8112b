"""CSRF protection for the pages: a random token per session, sent back in a
hidden field by every form (or the X-CSRF-Token header of a page's script) and
checked on every non-GET page request. The JSON API under /api authenticates with bearer tokens (never cookies) and is exempt."""
from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def csrf_token() -> str:
    """The session's token (made on first use)."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def check_csrf() -> None:
    """Before each page request: refuse a state-changing one without the session's token."""
    if request.method in SAFE_METHODS or request.path.startswith("/api/"):
        return
    expected = session.get(FIELD)
    # pages' scripts (fetch) send it in a header instead of a form field
    sent = request.form.get(FIELD) or request.headers.get(HEADER, "")
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description="csrf")
