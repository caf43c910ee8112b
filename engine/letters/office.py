"""What letter operators reach through their ports: the settings, the press,
the archive of stored PDFs and the mail transport."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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
    verifications: object = None  # engine.letters.verification.SqlVerifications (None: no QR printed)


def database_office(settings: LetterSettings, mail: MailSettings | None, outbox: Path, press,
                    archive, verifications=None) -> LetterOffice:
    """An office on the database, sending by SMTP or to the outbox folder."""
    mail = mail or MailSettings()
    return LetterOffice(settings, press, archive, transport_for(mail, outbox), mail, verifications)
