"""The pages of a stored letter as PNG images, so the Kabid's review, the Kadis's
signature and the agency's receipt show the letter itself.

The worker makes them right after it stores the PDF (``rendering``), outside any
transaction; a page that shows them only reads rows, never lays anything out.
Rasterising uses PDFium (``pypdfium2``). A document whose pages could not be made
still has its PDF: pages then offer only the link, so a failure here is logged,
never a failed layout.
"""
from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select

from engine.storage.letter_models import LetterPageImage

SCALE = 1.5  # 108 dpi: an A4 or F4 page about 900 px wide, sharp on a phone and on a desk
_pdfium_lock = threading.Lock()  # PDFium is not thread-safe; the worker may run several threads
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageImage:
    """One page of a document as a PNG."""

    page: int  # from 1
    width: int
    height: int
    png: bytes


def rasterise(pdf: bytes, scale: float = SCALE) -> list[PageImage]:
    """Every page of ``pdf`` as a PNG (ValueError: not a PDF PDFium can read)."""
    import pypdfium2  # imported on first use: only the worker lays out letters

    with _pdfium_lock:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as exc:
            raise ValueError(f"not a readable PDF: {exc}") from exc
        try:
            return [_png(number, document[number - 1], scale) for number in range(1, len(document) + 1)]
        finally:
            document.close()


def _png(number: int, page, scale: float) -> PageImage:
    from PIL import Image  # with pypdfium2, on first use

    image = page.render(scale=scale).to_pil()
    # a letter is black text, a logo and a QR: 256 colours show it as the full colours do, in a
    # third of the bytes and of the time (RGB at level 3: 35 ms and 165 KB a page; this: 12 ms,
    # 56 KB, the same mean error). The palette is found on a quarter-size copy (14 ms on the
    # page itself, 2 ms there). ``optimize`` cost 170 ms a page for 2 % less.
    palette = image.reduce(4).quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    image = image.quantize(palette=palette, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=3)
    return PageImage(number, image.width, image.height, buffer.getvalue())


def keep(archive, document) -> int:
    """Rasterise a stored document and store its pages beside it (``archive.store_pages``);
    the number of pages stored (0: none could be made; logged, the PDF stays)."""
    try:
        pages = rasterise(document.pdf)
    except (ValueError, OSError, RuntimeError) as exc:
        log.warning("pages of letter document %s not made: %s", document.id, exc)
        return 0
    archive.store_pages(document.id, pages)
    return len(pages)


def store(session, document_id: int, pages: list[PageImage]) -> None:
    """Store the pages of a document, unless they are stored already (a retried job)."""
    if count(session, document_id):
        return
    session.add_all(LetterPageImage(document_id=document_id, page=p.page, width=p.width, height=p.height,
                                    png=p.png) for p in pages)
    session.flush()


def count(session, document_id: int) -> int:
    """How many pages of the document are stored as images."""
    return len(sizes(session, document_id))


def sizes(session, document_id: int) -> list[tuple[int, int, int]]:
    """(page, width, height) of each stored page image of a document, in order."""
    rows = session.execute(select(LetterPageImage.page, LetterPageImage.width, LetterPageImage.height)
                           .where(LetterPageImage.document_id == document_id).order_by(LetterPageImage.page))
    return [(page, width, height) for page, width, height in rows]


def image(session, document_id: int, page: int) -> bytes | None:
    """The PNG of one page of a document (None: no such page stored)."""
    return session.scalar(select(LetterPageImage.png).where(LetterPageImage.document_id == document_id,
                                                            LetterPageImage.page == page))
