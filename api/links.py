"""Absolute links (tracking links, anything sent out of the app) built from
``VICON_PUBLIC_URL``, never from the request's Host header, which the client
chooses."""
from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` under the configured public URL."""
    return current_app.config["VICON"].base_url + url_for(endpoint, **values)
