"""Who may see and do what. Every facade method asks here."""
from __future__ import annotations

from engine.errors import Forbidden, NotFound
from engine.accounts.roles import role_of_lane, same_role

HOST_ONLY = ("start_url",)
STAFF_ROLES = frozenset({"kadis", "kabid", "subkoordinator", "staf", "manager", "analyst", "admin"})


def can_see_instance(actor, agency_id: int | None) -> bool:
    """Diskominfo staff see every request; an agency sees only its own."""
    if actor.roles & STAFF_ROLES:
        return True
    return actor.has("opd") and actor.agency_id is not None and actor.agency_id == agency_id


def require_instance(actor, agency_id: int | None) -> None:
    """NotFound unless the actor may see the instance."""
    if not can_see_instance(actor, agency_id):
        raise NotFound("no such request", "permohonan tidak ditemukan")


def can_complete(actor, lane: str | None, agency_id: int | None) -> bool:
    """The actor holds the lane's role (an OPD account: for its own agency), or
    works the lane today as acting official (Plt)."""
    role = role_of_lane(lane)
    if role is None:
        return False
    if not actor.has(role):
        return acting_official(actor, lane) is not None
    return role != "opd" or actor.agency_id == agency_id


def acting_official(actor, lane: str | None) -> str | None:
    """The official the actor stands in for on ``lane`` (or a lane of the same role) today, or None."""
    return next((official for acting_lane, official, _ in actor.acting_for if same_role(acting_lane, lane)), None)


def acting_position(actor, lane: str | None) -> str | None:
    """The position of the official whose ``lane`` task the actor works as acting
    official (Plt) today; None when the actor holds the lane's role."""
    role = role_of_lane(lane)
    if role is None or actor.has(role):
        return None
    return next((position for acting_lane, _, position in actor.acting_for if same_role(acting_lane, lane)), None)


def on_behalf_of(actor, lane: str | None) -> str | None:
    """Whom a completion of a ``lane`` task is on behalf of: the official when the
    actor acts as Plt without holding the lane's role, else None."""
    role = role_of_lane(lane)
    return None if role is None or actor.has(role) else acting_official(actor, lane)


def require_complete(actor, lane: str | None, agency_id: int | None) -> None:
    """Forbidden unless the actor may complete a task of ``lane``."""
    if not can_complete(actor, lane, agency_id):
        raise Forbidden("this task belongs to another role", "tugas ini milik peran lain")


def require_role(actor, *roles: str) -> None:
    """Forbidden unless the actor holds one of ``roles``."""
    if not any(actor.has(r) for r in roles):
        raise Forbidden("your role may not do this", "peran Anda tidak diizinkan melakukan ini")


def visible_meeting(actor, meeting: dict | None, letter_sent: bool) -> dict | None:
    """An agency sees its meeting once the response letter is sent, never the
    host's start link (it signs in as the host); staff see everything."""
    if meeting is None:
        return None
    if actor.roles & STAFF_ROLES:
        return meeting
    if letter_sent:
        return {k: v for k, v in meeting.items() if k not in HOST_ONLY}
    return None
