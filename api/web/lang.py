"""The pages' language: Indonesian, or English once the user picks it with the
switch (the browser's preference is not followed: many officials' phones are set
to English, and the service speaks Indonesian first)."""
from __future__ import annotations

from flask import session

LANG_KEY = "lang"
LANGUAGES = ("id", "en")


def page_lang() -> str:
    """``id`` or ``en``."""
    chosen = session.get(LANG_KEY)
    return chosen if chosen in LANGUAGES else "id"
