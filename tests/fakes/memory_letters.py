"""A letter office kept in memory (archive and transport), for the in-memory
ports of the tests; the engine's own office is on the database."""
from __future__ import annotations

from engine.letters.archive import StoredPdf
from engine.letters.config import LetterSettings
from engine.letters.content import Recipient
from engine.letters.office import LetterOffice
from engine.letters.press import LetterPress, sha256


class MemoryArchive:
    """Documents in a dict; every instance belongs to one example agency."""

    def __init__(self, recipient: Recipient | None = None):
        self.default = recipient or Recipient("Dinas Kesehatan Kota Tarakan", "dinkes@example.go.id")
        self.documents: dict[int, StoredPdf] = {}
        self._keys: dict[str, int] = {}
        self.pages: dict[int, list] = {}

    def recipient(self, instance_id: str) -> Recipient:
        """The example agency."""
        return self.default

    def document(self, document_id: int) -> StoredPdf | None:
        """A stored document by id."""
        return self.documents.get(int(document_id))

    def final(self, instance_id: str, number: str | None) -> StoredPdf | None:
        """The signed letter numbered ``number``."""
        return next((d for d in self.documents.values() if d.stage == "kadis" and d.number == number), None)

    def store(self, *, instance_id, kind, stage, pdf, now, number=None, version=0, by=None,
              key=None) -> StoredPdf:
        """Store a PDF; with ``key``, storing again returns the first one."""
        if key in self._keys:
            return self.documents[self._keys[key]]
        doc = StoredPdf(len(self.documents) + 1, kind, stage, version, number, sha256(pdf), pdf)
        self.documents[doc.id] = doc
        if key:
            self._keys[key] = doc.id
        return doc

    def store_pages(self, document_id: int, pages: list) -> None:
        """Keep a document's page images (once)."""
        self.pages.setdefault(int(document_id), list(pages))


class MemoryTransport:
    """Sent messages kept in a list."""

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
