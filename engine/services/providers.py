"""Choosing the meeting provider the settings name."""
from __future__ import annotations

from engine.services.jitsi import JitsiProvider
from engine.services.meeting import ManualProvider
from engine.services.zoom_client import ZoomClient
from engine.services.zoom_provider import ZoomProvider

PROVIDERS = ("manual", "zoom", "jitsi")


def build_provider(settings, http=None):
    """The provider of ``settings.meeting_provider``; ValueError when its settings are missing."""
    kind = settings.meeting_provider
    if kind == "manual":
        return ManualProvider()
    if kind == "zoom":
        if not settings.zoom.configured:
            raise ValueError("the zoom provider needs the account id, client id and client secret")
        return ZoomProvider(ZoomClient(settings.zoom, http), settings.zoom.timezone)
    if kind == "jitsi":
        if not settings.jitsi_base_url:
            raise ValueError("the jitsi provider needs the Jitsi server's base URL")
        return JitsiProvider(settings.jitsi_base_url)
    raise ValueError(f"unknown meeting provider {kind!r} (one of {', '.join(PROVIDERS)})")
