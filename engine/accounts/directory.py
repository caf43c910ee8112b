"""Agencies, users, roles and host accounts: creating them and signing in."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from engine.accounts import delegations
from engine.accounts.actor_read import read_actor
from engine.accounts.passwords import check_password, hash_password
from engine.accounts.roles import ROLES
from engine.storage.models import Agency, HostAccount, User, UserRole
from engine.views import Actor

_DUMMY_HASH = hash_password("timing-equaliser")


def upsert_agency(session, code: str, name: str, email: str | None) -> Agency:
    """Create or update an agency by code."""
    agency = session.scalars(select(Agency).where(Agency.code == code)).first()
    if agency is None:
        agency = Agency(code=code, name=name, email=email)
        session.add(agency)
    agency.name, agency.email = name, email
    session.flush()
    return agency


def upsert_user(session, username: str, password: str, roles, *, full_name: str = "",
                agency_code: str | None = None, position: str | None = None, nip: str | None = None,
                email: str | None = None) -> User:
    """Create or update a user with ``roles`` (an OPD user needs an agency)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    agency_id = None
    if agency_code:
        agency_id = session.scalars(select(Agency.id).where(Agency.code == agency_code)).one()
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = User(username=username, password_hash="")
        session.add(user)
    user.password_hash = hash_password(password)
    user.full_name, user.agency_id, user.position, user.nip = full_name, agency_id, position, nip
    user.email = email
    user.active = True
    session.flush()
    session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    session.add_all(UserRole(user_id=user.id, role=r) for r in sorted(set(roles)))
    return user


def upsert_host(session, host_id: str, name: str, *, capacity: int, max_participants: int,
                email: str | None = None) -> HostAccount:
    """Create or update a Zoom host account."""
    host = session.get(HostAccount, host_id) or HostAccount(id=host_id)
    host.name, host.capacity, host.max_participants, host.email = name, capacity, max_participants, email
    host.active = True
    session.add(host)
    return host


def actor_of(session, user: User, day: date | None = None) -> Actor:
    """The Actor of a user row, with the lanes it works as acting official on ``day``."""
    roles = frozenset(session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))
    agency = session.get(Agency, user.agency_id) if user.agency_id else None
    acting = delegations.acting_for(session, user.username, day) if day is not None else ()
    return Actor(user.username, roles, user.agency_id, agency.code if agency else None, user.full_name, acting,
                 user.session_epoch or 0, agency.name if agency else None)


def end_sessions(user: User) -> None:
    """End every bearer token and session cookie of ``user`` (they carry the old epoch)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def authenticate(session, username: str, password: str, day: date | None = None) -> Actor | None:
    """The actor when the password matches an active account, else None."""
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None or not user.active:
        check_password(_DUMMY_HASH, password)  # same work either way: no user enumeration by timing
        return None
    return actor_of(session, user, day) if check_password(user.password_hash, password) else None


def find_actor(session, username: str, day: date | None = None) -> Actor | None:
    """The actor of an active account, or None (one statement: ``actor_read``)."""
    return read_actor(session, username, day)
