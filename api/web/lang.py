"""The pages' language: the user's choice, else the browser's, Indonesian by default."""
from __future__ import annotations

from flask import request, session

LANG_KEY = "lang"
LANGUAGES = ("id", "en")


def page_lang() -> str:
    """``id`` or ``en``."""
    chosen = session.get(LANG_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="id") or "id"
