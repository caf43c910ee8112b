"""Rendering: Jinja templates to HTML, WeasyPrint HTML to PDF.

WeasyPrint needs Debian's pango (libpango-1.0-0, libpangoft2-1.0-0); it is
imported on first use so the engine still starts without it, and a missing
library is reported by name.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from engine.letters.config import TEMPLATES_DIR
from engine.letters.signature import NoSignature

TEMPLATES = {"surat_tanggapan": "surat_tanggapan.html", "jadwal_penuh": "jadwal_penuh.html",
             "kedaluwarsa": "kedaluwarsa.html", "lembar_disposisi": "lembar_disposisi.html"}
STYLESHEET = "surat.css"  # every document's stylesheet, parsed once per press
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core"
_render_lock = threading.Lock()  # pango's font set-up is shared by the process: one render at a time
QUIET_LOGGERS = ("weasyprint", "fontTools")  # their INFO lines on every letter would drown the worker's log
for _name in QUIET_LOGGERS:
    logging.getLogger(_name).setLevel(logging.WARNING)


FLAG = re.compile(r"\[[A-Z/ ]+ BELUM DIATUR\]")


def flags(text) -> Markup:
    """``text`` escaped, each missing-configuration flag marked to stand out."""
    return Markup(FLAG.sub(lambda m: f'<span class="flag">{m.group(0)}</span>', str(escape(text))))


class RenderUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine."""


def sha256(pdf: bytes) -> str:
    """The hex SHA-256 of a document."""
    return hashlib.sha256(pdf).hexdigest()


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # a shared library is missing
        raise RenderUnavailable(f"WeasyPrint cannot load its libraries ({exc}); install the Debian "
                                f"packages: apt-get install -y {DEBIAN_PACKAGES}") from exc
    return weasyprint


class LetterPress:
    """Turns a document kind and its context into HTML and PDF."""

    def __init__(self, signature=None):
        self.signature = signature or NoSignature()
        self.env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), undefined=StrictUndefined,
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)
        self.env.filters["flags"] = flags
        self._parts = None  # (FontConfiguration, CSS), made on the first layout

    def html(self, kind: str, context: dict, linked_css: bool = True) -> str:
        """The document as HTML (``linked_css``: with the link to its stylesheet)."""
        return self.env.get_template(TEMPLATES[kind]).render(
            notice=self.signature.notice, kind=kind, linked_css=linked_css, **context)

    def pdf(self, kind: str, context: dict) -> bytes:
        """The document as PDF (the same context always gives the same bytes). The font
        configuration and the parsed stylesheet are made once and reused: a letter's
        layout is about a quarter faster than with both made anew."""
        html = self.html(kind, context, linked_css=False)
        weasyprint = _weasyprint()
        with _render_lock:
            font_config, stylesheet = self._layout_parts(weasyprint)
            return weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(
                font_config=font_config, stylesheets=[stylesheet])

    def _layout_parts(self, weasyprint):
        """The shared font configuration and the parsed ``surat.css`` (under the render lock)."""
        if self._parts is None:
            from weasyprint.text.fonts import FontConfiguration
            font_config = FontConfiguration()
            self._parts = (font_config, weasyprint.CSS(filename=str(TEMPLATES_DIR / STYLESHEET),
                                                       font_config=font_config))
        return self._parts
