"""Drafts of process models saved from the modeler: kept even with problems,
never run (only a deploy makes a version)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.models import Base, UtcDateTime


class ProcessDraft(Base):
    """One saved draft: the BPMN, its forms and the problems found when saved."""

    __tablename__ = "process_drafts"
    __table_args__ = (Index("ix_process_drafts_key_saved", "key", "saved_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    bpmn: Mapped[bytes] = mapped_column(LargeBinary)
    forms: Mapped[dict] = mapped_column(JSON)
    problems: Mapped[list] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(80))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
