"""Page languages with Flask-Babel: Indonesian (the default, and the language the
templates are written in) and English. The catalogues are shipped as .po files
and compiled to .mo when the app starts (the .mo files are build products)."""
from __future__ import annotations

import logging
import pathlib

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import Babel

from .lang import page_lang

log = logging.getLogger("vicon.web")
TRANSLATIONS = pathlib.Path(__file__).resolve().parents[1] / "translations"
DOMAIN = "messages"


def compile_catalogues(folder: pathlib.Path = TRANSLATIONS) -> None:
    """Write ``<lang>/LC_MESSAGES/messages.mo`` for every .po newer than its .mo."""
    for po in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        try:
            with mo.open("wb") as target:
                write_mo(target, catalog)
        except OSError as exc:  # a read-only install: the .mo must come from the build
            log.warning("cannot compile %s: %s", po, exc)


def init_babel(app) -> None:
    """Install Flask-Babel on ``app`` with the session's language."""
    compile_catalogues()
    app.config.update(BABEL_DEFAULT_LOCALE="id", BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS))
    Babel(app, locale_selector=page_lang)
