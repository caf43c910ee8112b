"""Page languages with Flask-Babel: Indonesian (the default, and the language the
templates are written in) and English. The catalogues are shipped as .po files
and compiled to .mo when the app starts (the .mo files are build products)."""
from __future__ import annotations

import logging
import os
import pathlib
import tempfile

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import Babel

from api.web.lang import page_lang

log = logging.getLogger("vicon.web")
TRANSLATIONS = pathlib.Path(__file__).resolve().parents[1] / "translations"
DOMAIN = "messages"


def compile_catalogues(folder: pathlib.Path = TRANSLATIONS) -> None:
    """Write ``<lang>/LC_MESSAGES/messages.mo`` from every .po of that language.

    Each area of the pages may keep its own .po next to ``messages.po``; they are
    merged into the one ``messages`` domain Flask-Babel reads."""
    for directory in folder.glob("*/LC_MESSAGES"):
        sources = sorted(directory.glob("*.po"))
        mo = directory / f"{DOMAIN}.mo"
        if not sources or (mo.exists() and mo.stat().st_mtime >= max(
                po.stat().st_mtime for po in sources)):
            continue
        catalog = merged_catalogue(sources)
        try:
            _write_atomically(mo, catalog)
        except OSError as exc:  # a read-only install: the .mo must come from the build
            log.warning("cannot compile %s: %s", mo, exc)


def _write_atomically(mo: pathlib.Path, catalog) -> None:
    """Write the .mo beside its place and move it there: a second process starting
    at the same moment (a gunicorn worker, a test worker) never reads half a file."""
    with tempfile.NamedTemporaryFile("wb", dir=mo.parent, prefix=".messages.", delete=False) as target:
        write_mo(target, catalog)
    os.chmod(target.name, 0o644)  # as a plainly written file would be, not the temporary file's 0600
    os.replace(target.name, mo)


def merged_catalogue(sources: list[pathlib.Path]):
    """One catalogue holding the messages of every file in ``sources``."""
    catalog = None
    for po in sources:
        with po.open("rb") as source:
            part = read_po(source)
        if catalog is None:
            catalog = part
            continue
        for message in part:
            if message.id:
                catalog[message.id] = message
    return catalog


def init_babel(app) -> None:
    """Install Flask-Babel on ``app`` with the session's language."""
    compile_catalogues()
    app.config.update(BABEL_DEFAULT_LOCALE="id", BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS))
    Babel(app, locale_selector=page_lang)
