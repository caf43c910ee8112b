"""The tables of accounts work: public tracking links, acting officials (Plt)
and the log of changes administrators make to accounts and agencies.

Kept beside ``models.py`` on the same declarative base.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.models import Base, UtcDateTime


class TrackingLink(Base):
    """The unguessable token of a request's public tracking page."""

    __tablename__ = "tracking_links"
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(80))


class Delegation(Base):
    """An official's lane handed to a deputy (Plt) for a range of days (WITA dates, inclusive)."""

    __tablename__ = "delegations"
    __table_args__ = (Index("ix_delegations_deputy_days", "deputy", "starts_on", "ends_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    official: Mapped[str] = mapped_column(String(80), index=True)
    deputy: Mapped[str] = mapped_column(String(80))
    lane: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AccountEvent(Base):
    """Who changed which account or agency, when, and what (never a password)."""

    __tablename__ = "account_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    target: Mapped[str] = mapped_column(String(120), index=True)
    action: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON)


class SignInFailure(Base):
    """One failed sign-in under one limit's key (``pair:``, ``user:``, ``addr:`` or
    ``all``), kept for the limit's window so every server process counts them."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
