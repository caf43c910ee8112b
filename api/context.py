"""What a request acts with: the engine, the signed-in actor, the language."""
from __future__ import annotations

from flask import current_app, g, request

from engine import Actor, Engine

from api.messages import LANGUAGES

EXTENSION = "vicon"


def engine() -> Engine:
    """The engine of the current app."""
    return current_app.extensions[EXTENSION]


def actor() -> Actor:
    """The actor the request's token names (set by the auth hook)."""
    return g.actor


def lang() -> str:
    """``en`` when the request's Accept-Language prefers English, else ``id``."""
    return request.accept_languages.best_match(LANGUAGES, default="id") or "id"
