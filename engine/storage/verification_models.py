"""The public verification entries of issued documents (the QR on a letter
leads to ``/verifikasi/<token>``) and the unknown tokens asked for there.

Kept beside ``models.py`` on the same declarative base.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.models import Base, UtcDateTime


class VerificationToken(Base):
    """The public verification entry of one issued document (the QR on it leads
    to ``/verifikasi/<token>``): what the page shows, kept as the document said it,
    and the stored PDF it describes. Made before the layout (the QR is in the PDF);
    ``sha256`` and ``document_id`` are set once the issued PDF is stored.
    ``state``: ``pending`` (not laid out yet), ``issued`` or ``replaced`` (a later
    letter was issued for the same request); "voided" is read from the request."""

    __tablename__ = "verification_tokens"
    __table_args__ = (Index("ix_verification_tokens_instance_kind", "instance_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    key: Mapped[str | None] = mapped_column(String(120), unique=True)  # the layout's key: a retry reuses it
    kind: Mapped[str] = mapped_column(String(40))  # surat_tanggapan|jadwal_penuh|kedaluwarsa|rekap
    instance_id: Mapped[str | None] = mapped_column(ForeignKey("instances.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("letter_documents.id"))
    number: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(300), default="")
    addressee: Mapped[str] = mapped_column(String(300), default="")
    signer_position: Mapped[str | None] = mapped_column(String(300))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the date the document bears
    sha256: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VerificationMiss(Base):
    """One unknown token asked for on the verification page, by client address,
    kept for the limit's window so every server process counts them."""

    __tablename__ = "verification_misses"
    __table_args__ = (Index("ix_verification_misses_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
