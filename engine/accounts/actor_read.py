"""The one read behind every signed-in request: an active account with its roles,
agency code, session epoch and the lanes it stands in for today, in a single
indexed statement (users by username, joined to its agency, roles and current
delegations). The statement is compiled once and run on the driver
(``engine.storage.prepared``).

A row per (role, delegation) pair comes back; an account holds a handful of
roles and delegations, so the product stays small."""
from __future__ import annotations

from collections import namedtuple
from datetime import date

from sqlalchemy import Date, and_, bindparam, select
from sqlalchemy.orm import aliased

from engine.accounts.delegations import DEPUTY_ROLES, LANE_POSITIONS
from engine.storage.account_models import Delegation
from engine.storage.models import Agency, User, UserRole
from engine.storage.prepared import Prepared
from engine.views import Actor

_official = aliased(User)
_DAY = bindparam("day", type_=Date)
_Row = namedtuple("_Row", "username agency_id full_name active session_epoch code agency_name role "
                          "delegation_id lane official official_id position")
# on the driver: every signed-in request runs it, and the ORM's statement layer cost more than it
_STATEMENT = Prepared(
    select(User.username, User.agency_id, User.full_name, User.active, User.session_epoch, Agency.code,
           Agency.name, UserRole.role, Delegation.id.label("delegation_id"), Delegation.lane, Delegation.official,
           _official.id.label("official_id"), _official.position)
    .outerjoin(Agency, Agency.id == User.agency_id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .outerjoin(Delegation, and_(Delegation.deputy == User.username, Delegation.starts_on <= _DAY,
                                Delegation.ends_on >= _DAY, Delegation.cancelled_at.is_(None)))
    .outerjoin(_official, and_(_official.username == Delegation.official, _official.active.is_(True)))
    .where(User.username == bindparam("username"))
    .order_by(Delegation.id))


def read_actor(session, username: str, day: date | None) -> Actor | None:
    """The actor of the active account ``username`` (its acting lanes on ``day``;
    none without a day), or None when there is no such active account."""
    rows = [_Row(*row) for row in _STATEMENT.rows(session, {"username": username, "day": day})]
    if not rows or not rows[0].active:
        return None
    first = rows[0]
    roles = frozenset(r.role for r in rows if r.role is not None)
    acting: dict[int, tuple] = {}  # delegation id -> entry, in the order of the ids
    if day is not None and roles & set(DEPUTY_ROLES):  # a deputy who lost the role stands in for no one
        for row in rows:
            if row.official_id is not None:  # a current delegation whose official's account is active
                acting[row.delegation_id] = (row.lane, row.official,
                                             row.position or LANE_POSITIONS[row.lane][0])
    return Actor(first.username, roles, first.agency_id, first.code, first.full_name, tuple(acting.values()),
                 first.session_epoch or 0, first.agency_name)
