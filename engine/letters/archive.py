"""Stored PDFs and the agency a letter goes to, in the database (commands
pass their session; the worker's calls open short transactions of their own,
never around a call to the outside world)."""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engine.storage.letter_models import LetterDocument
from engine.storage.models import Agency, Instance
from engine.letters import page_images
from engine.letters.content import Recipient
from engine.letters.press import sha256


@dataclass(frozen=True)
class StoredPdf:
    """A stored document."""

    id: int
    kind: str
    stage: str
    version: int
    number: str | None
    sha256: str
    pdf: bytes


def _stored(row: LetterDocument) -> StoredPdf:
    return StoredPdf(row.id, row.kind, row.stage, row.version, row.number, row.sha256, bytes(row.pdf))


class SqlArchive:
    """Documents and recipients in the database."""

    def __init__(self, db, session=None):
        self.db, self.session = db, session

    @contextlib.contextmanager
    def _reading(self):
        if self.session is not None:
            yield self.session
        else:
            with self.db.reading() as session:
                yield session

    def recipient(self, instance_id: str) -> Recipient:
        """The requesting agency of an instance."""
        with self._reading() as session:
            agency = session.scalars(select(Agency).join(Instance, Instance.agency_id == Agency.id)
                                     .where(Instance.id == instance_id)).first()
            return Recipient(agency.name, agency.email) if agency else Recipient("")

    def document(self, document_id: int) -> StoredPdf | None:
        """A stored document by id."""
        with self._reading() as session:
            row = session.get(LetterDocument, int(document_id))
            return _stored(row) if row is not None else None

    def final(self, instance_id: str, number: str | None) -> StoredPdf | None:
        """The signed letter numbered ``number``, as the worker laid it out (None: not yet)."""
        with self._reading() as session:
            row = session.scalars(select(LetterDocument).where(
                LetterDocument.instance_id == instance_id, LetterDocument.kind == "surat_tanggapan",
                LetterDocument.stage == "kadis", LetterDocument.number == number)
                .order_by(LetterDocument.id.desc()).limit(1)).first()
            return _stored(row) if row is not None else None

    def store(self, *, instance_id: str, kind: str, stage: str, pdf: bytes, now: datetime,
              number: str | None = None, version: int = 0, by: str | None = None,
              key: str | None = None) -> StoredPdf:
        """Store a PDF; with ``key``, storing again returns the first one."""
        row = LetterDocument(instance_id=instance_id, kind=kind, stage=stage, version=version,
                             number=number, sha256=sha256(pdf), pdf=pdf, key=key, created_at=now,
                             created_by=by)
        if self.session is not None:
            self.session.add(row)
            self.session.flush()
            return _stored(row)
        try:
            with self.db.transaction() as session:
                by_key = select(LetterDocument).where(LetterDocument.key == key)
                existing = session.scalars(by_key).first() if key else None
                if existing is not None:
                    return _stored(existing)
                session.add(row)
                session.flush()
                return _stored(row)
        except IntegrityError:  # a parallel attempt of the same job stored it first
            with self.db.reading() as session:
                by_key = select(LetterDocument).where(LetterDocument.key == key)
                return _stored(session.scalars(by_key).one())

    def store_pages(self, document_id: int, pages: list) -> None:
        """Store a document's page images beside it (once: a retry stores nothing twice)."""
        if self.session is not None:
            page_images.store(self.session, document_id, pages)
            return
        try:
            with self.db.transaction() as session:
                page_images.store(session, document_id, pages)
        except IntegrityError:  # a parallel attempt of the same job stored them first
            pass
