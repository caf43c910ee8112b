"""What letter operators reach through their ports: the settings, the press,
the archive of stored PDFs and the mail transport."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.letters.archive import MemoryArchive
from engine.letters.config import LetterSettings, MailSettings
from engine.letters.press import LetterPress
from engine.letters.transport import transport_for


@dataclass
class LetterOffice:
    """Everything a letter needs between its data and the agency's inbox."""

    settings: LetterSettings
    press: LetterPress
    archive: object
    transport: object
    mail: MailSettings = field(default_factory=MailSettings)


class MemoryTransport:
    """Sent messages kept in a list (the in-memory engine)."""

    channel = "outbox"

    def __init__(self):
        self.sent = []

    def send(self, message, key: str, files: dict) -> str:
        """Keep the message; return its name."""
        self.sent.append(message)
        return f"{key.replace(':', '-')}.eml"


def memory_office(settings: LetterSettings | None = None) -> LetterOffice:
    """An office with an in-memory archive and transport."""
    return LetterOffice(settings or LetterSettings(), LetterPress(), MemoryArchive(), MemoryTransport())


def database_office(settings: LetterSettings, mail: MailSettings | None, outbox: Path, press,
                    archive) -> LetterOffice:
    """An office on the database, sending by SMTP or to the outbox folder."""
    mail = mail or MailSettings()
    return LetterOffice(settings, press, archive, transport_for(mail, outbox), mail)
