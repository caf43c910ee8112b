"""Security headers on every answer: a Content-Security-Policy that allows only
the app's own scripts and styles (bpmn-js comes from ``/vendor``), no framing by
other sites, a strict Referrer-Policy, ``no-store`` for what a signed-in user
sees, and HSTS when the app is served over HTTPS."""
from __future__ import annotations

from flask import Flask, g, request

CSP = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
    "form-action 'self'", "frame-ancestors 'self'",
))
HSTS = "max-age=31536000; includeSubDomains"
CACHEABLE_ENDPOINTS = ("static", "vendor.asset")  # public files, the same for everyone


def init_app(app: Flask, https: bool) -> None:
    """Add the headers to every answer of ``app``; ``https``: the public URL is https
    (or production), so cookies are ``Secure`` and HSTS is sent."""
    app.config.update(SESSION_COOKIE_SECURE=https, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax")

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if https:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if _signed_in() and request.endpoint not in CACHEABLE_ENDPOINTS:
            headers["Cache-Control"] = "no-store"
        return response


def _signed_in() -> bool:
    return g.get("web_actor") is not None or g.get("actor") is not None
