"""The e-mail that carries a letter: text in Indonesian, the PDF, and for a
response letter the calendar invitation.

Its Message-ID is derived from the job's idempotency key: a retried send is
the same message, which receiving systems recognise as a duplicate.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr


@dataclass(frozen=True)
class Outgoing:
    """What to send: addresses, subject, text and attachments ``(name, type, bytes)``."""

    to: tuple
    cc: tuple
    subject: str
    text: str
    attachments: tuple


def message_id(key: str, domain: str) -> str:
    """A Message-ID that is the same for every attempt of one job."""
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{domain}>"


def compose(outgoing: Outgoing, *, sender: str, sender_name: str, key: str, domain: str,
            now: datetime) -> EmailMessage:
    """The MIME message."""
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender))
    message["To"] = ", ".join(outgoing.to)
    if outgoing.cc:
        message["Cc"] = ", ".join(outgoing.cc)
    message["Subject"] = outgoing.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(key, domain)
    message["Content-Language"] = "id"
    message.set_content(outgoing.text)
    for name, mime, data in outgoing.attachments:
        maintype, subtype = mime.split(";")[0].split("/")
        params = dict(p.strip().split("=", 1) for p in mime.split(";")[1:])
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name, params=params)
    return message


def letter_text(*, addressee: str, what: str, number: str | None, subject: str, lines: list[str],
                sender_name: str, request: str | None) -> str:
    """The body of the e-mail (the letter itself is the attached PDF)."""
    numbered = f" Nomor {number}" if number else ""
    return "\n".join([
        f"Yth. {addressee},", "",
        f"Bersama surel ini kami sampaikan {what}{numbered} hal {subject} (berkas PDF terlampir).",
        *([""] + lines if lines else []), "",
        *([request, ""] if request else []),
        "Hormat kami,", sender_name, "",
        "Surel ini dikirim otomatis; mohon tidak membalas surel ini."])
