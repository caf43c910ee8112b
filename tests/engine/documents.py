"""Reading what letters produced: text of a PDF, attachments of a message."""
from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def attachments(message) -> dict:
    """File name -> bytes of a parsed e-mail message's attachments."""
    return {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}


def sent_pdf(ports, prefix: str) -> bytes:
    """The PDF attached to the last message an in-memory office sent, by name prefix."""
    for message in reversed(ports.letters.transport.sent):
        for name, data in attachments(message).items():
            if name.startswith(prefix):
                return data
    raise AssertionError(f"no sent PDF named {prefix}*")
