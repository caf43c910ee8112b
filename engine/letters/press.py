"""Rendering: Jinja templates to HTML, WeasyPrint HTML to PDF.

WeasyPrint needs Debian's pango (libpango-1.0-0, libpangoft2-1.0-0); it is
imported on first use so the engine still starts without it, and a missing
library is reported by name.
"""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
import threading

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from engine.letters.config import TEMPLATES_DIR
from engine.letters.signature import NoSignature, Seal

TEMPLATES = {"surat_tanggapan": "surat_tanggapan.html", "jadwal_penuh": "jadwal_penuh.html",
             "kedaluwarsa": "kedaluwarsa.html", "lembar_disposisi": "lembar_disposisi.html"}
SIGNED_KINDS = ("surat_tanggapan",)  # the documents a provider signs (final, never a konsep)
SEAL_ANCHOR = "ttd"  # the id of the blank where the signature stands (base.html)
STYLESHEET = "surat.css"  # every document's stylesheet, parsed once per press
# PDF/A-3b for the archive (ANRI): fonts embedded, sRGB OutputIntent, XMP metadata from the
# template's title and meta tags; -3 rather than -2 so a signed PDF may carry attachments
SRGB = "vicon-srgb"  # our own name for WeasyPrint's sRGB profile: its "srgb" opens the file anew each time
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "output_intent": SRGB}
KEYWORDS = {"surat_tanggapan": "Surat Tanggapan", "jadwal_penuh": "Pemberitahuan Jadwal Penuh",
            "kedaluwarsa": "Pemberitahuan Permohonan Kedaluwarsa", "lembar_disposisi": "Lembar Disposisi"}
DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core"
_render_lock = threading.Lock()  # pango's font set-up is shared by the process: one render at a time
QUIET_LOGGERS = ("weasyprint", "fontTools")  # their INFO lines on every letter would drown the worker's log
for _name in QUIET_LOGGERS:
    logging.getLogger(_name).setLevel(logging.WARNING)


FLAG = re.compile(r"\[[A-Z/ ]+ BELUM DIATUR\]")


def flags(text) -> Markup:
    """``text`` escaped, each missing-configuration flag marked to stand out."""
    return Markup(FLAG.sub(lambda m: f'<span class="flag">{m.group(0)}</span>', str(escape(text))))


@functools.cache
def color_profiles() -> dict:
    """The sRGB profile of the documents' OutputIntent, read once: WeasyPrint's own
    "srgb" intent leaves its file open on every document, and re-serialises the
    profile with the current time in it (no two layouts the same bytes)."""
    from importlib.resources import files

    import weasyprint.pdf
    from weasyprint.css import ColorProfile

    class FixedProfile(ColorProfile):
        """The ICC file's own bytes, embedded as they are."""

        def __init__(self, icc: bytes):
            super().__init__(io.BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))
            self.icc = icc

        @property
        def content(self) -> bytes:
            return self.icc

    return {SRGB: FixedProfile((files(weasyprint.pdf.__name__) / "sRGB2014.icc").read_bytes())}


def keywords(kind: str, number: str | None = None) -> str:
    """The document's keywords (its XMP metadata): what it is, the service, its number."""
    words = [KEYWORDS.get(kind, kind), "Zoom Meeting", "Diskominfo Kota Tarakan", number or ""]
    return ", ".join(w for w in words if w)


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

    page_images = True  # the worker stores each letter's pages as images (``page_images``) beside it

    def __init__(self, signature=None):
        self.signature = signature or NoSignature()
        self.env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), undefined=StrictUndefined,
                               autoescape=select_autoescape(["html"]), trim_blocks=True,
                               lstrip_blocks=True)
        self.env.filters["flags"] = flags
        self._parts = None  # (FontConfiguration, CSS), made on the first layout

    def html(self, kind: str, context: dict, linked_css: bool = True) -> str:
        """The document as HTML (``linked_css``: with the link to its stylesheet)."""
        context = dict({"verification": None, "keywords": keywords(kind, context.get("number"))}, **context)
        return self.env.get_template(TEMPLATES[kind]).render(
            notice=self.notice(kind, context), kind=kind, linked_css=linked_css, **context)

    def notice(self, kind: str, context: dict) -> str:
        """The footer's word on the signature: the provider's for a final letter it signs,
        "not signed" for a konsep and the notices, which no provider signs."""
        signs = kind in SIGNED_KINDS and not context.get("draft")
        return (self.signature if signs else NoSignature()).notice

    def pdf(self, kind: str, context: dict) -> bytes:
        """The document as PDF/A-3b (the same context always gives the same bytes). The font
        configuration and the parsed stylesheet are made once and reused: a letter's
        layout is about a quarter faster than with both made anew."""
        return self.layout(kind, context)[0]

    def layout(self, kind: str, context: dict) -> tuple[bytes, Seal | None]:
        """The document as PDF and where its signature stands (None: it has no blank for one)."""
        html = self.html(kind, context, linked_css=False)
        weasyprint = _weasyprint()
        with _render_lock:
            font_config, stylesheet = self._layout_parts(weasyprint)
            document = weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR)).render(
                font_config=font_config, stylesheets=[stylesheet], color_profiles=color_profiles(),
                **PDF_OPTIONS)
            return document.write_pdf(**PDF_OPTIONS), _seal(document, context.get("signer") or {})

    def _layout_parts(self, weasyprint):
        """The shared font configuration and the parsed ``surat.css`` (under the render lock)."""
        if self._parts is None:
            from weasyprint.text.fonts import FontConfiguration
            font_config = FontConfiguration()
            self._parts = (font_config, weasyprint.CSS(filename=str(TEMPLATES_DIR / STYLESHEET),
                                                       font_config=font_config))
        return self._parts


PX_TO_PT = 0.75  # WeasyPrint's positions are CSS pixels (1/96 in), PDF's points (1/72 in)


def _seal(document, signer: dict) -> Seal | None:
    """The signature blank's box on its page, in PDF points from the lower left corner."""
    for index, page in enumerate(document.pages):
        if SEAL_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[SEAL_ANCHOR]
            height = page.height
            box = (x1 * PX_TO_PT, (height - y2) * PX_TO_PT, x2 * PX_TO_PT, (height - y1) * PX_TO_PT)
            return Seal(index, tuple(round(v, 2) for v in box), dict(signer))  # type: ignore[arg-type]
    return None
