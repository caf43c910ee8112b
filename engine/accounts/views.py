"""Views of accounts work: users and agencies as an admin manages them, acting
officials (Plt), a request's public tracking page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class UserView:
    """An account as the admin page lists it (never its password hash)."""

    username: str
    full_name: str
    position: str | None
    nip: str | None
    email: str | None
    roles: tuple
    agency: str | None
    active: bool
    nik: str | None = None  # the BSrE signer's NIK (personal data: the admin's page only)


@dataclass(frozen=True)
class AgencyView:
    """A requesting agency (OPD)."""

    code: str
    name: str
    email: str | None
    users: int = 0


@dataclass(frozen=True)
class DelegationView:
    """An official's lane handed to a deputy (Plt) for a range of days."""

    id: int
    official: str
    official_position: str
    deputy: str
    deputy_name: str
    lane: str
    starts_on: date
    ends_on: date
    cancelled: bool
    current: bool


@dataclass(frozen=True)
class AccountEventView:
    """One change an administrator made."""

    at: datetime
    actor: str
    target: str
    action: str
    data: dict


@dataclass(frozen=True)
class TrackingView:
    """What the public tracking page shows: the stage, a timeline without names
    or notes, and once fulfilled the meeting (never the host's link) and letter."""

    topic: str
    agency_name: str
    status: str
    outcome: str | None
    meeting_start: datetime | None
    tasks: list
    events: list  # (at, type, task) of the steps the agency may see
    meeting: dict | None
    letters: list = field(default_factory=list)  # (id, kind, number, sent_at)
    step_titles: dict = field(default_factory=dict)  # element id -> (name, English name or None) in the model
    stage: object = None  # StageView, read as a public visitor (never "your action")
