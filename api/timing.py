"""The server's own timing of each request: a ``Server-Timing`` header
(``app;dur=<ms>``) measured from the first hook to the response, so a
benchmark or a browser's network panel reads the time spent inside the app."""
from __future__ import annotations

import time

from flask import g


def init_app(app) -> None:
    """Time every request of ``app`` (register before the other hooks)."""
    app.before_request(_start)
    app.after_request(_header)


def _start() -> None:
    g.vicon_started = time.perf_counter()


def _header(response):
    started = g.get("vicon_started")
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    return response
