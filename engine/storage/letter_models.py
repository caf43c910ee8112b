"""The tables of outgoing letters: the numbering register and the stored PDFs.

Kept beside ``models.py`` on the same declarative base, so ``create_all``
makes them with the rest.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.models import Base, UtcDateTime


class LetterCounter(Base):
    """The last sequence number given in a series (a unit) and year."""

    __tablename__ = "letter_counters"
    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class LetterNumber(Base):
    """One number of the register: given once, voided perhaps, never given again."""

    __tablename__ = "letter_numbers"
    __table_args__ = (UniqueConstraint("series", "year", "seq"), UniqueConstraint("number"))
    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(120))
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    assigned_by: Mapped[str | None] = mapped_column(String(80))
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    voided_by: Mapped[str | None] = mapped_column(String(80))
    void_reason: Mapped[str | None] = mapped_column(Text)


class LetterDocument(Base):
    """A PDF as it was approved, signed or sent; ``key`` makes a worker's
    store idempotent."""

    __tablename__ = "letter_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # surat_tanggapan|jadwal_penuh|kedaluwarsa
    stage: Mapped[str] = mapped_column(String(20))  # kabid|kadis|sent
    version: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str | None] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(80))


class LetterPageImage(Base):
    """One page of a stored document as a PNG, made by the worker when the document
    is stored, so a page shows the letter itself without laying anything out."""

    __tablename__ = "letter_page_images"
    __table_args__ = (UniqueConstraint("document_id", "page"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("letter_documents.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)  # 1, 2, ...
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    png: Mapped[bytes] = mapped_column(LargeBinary)
