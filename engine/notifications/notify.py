"""In-app notifications for the users of a role (an agency's own accounts
for OPD), each optionally sent by e-mail by the worker."""
from __future__ import annotations

from sqlalchemy import select

from engine.notifications import texts
from engine.storage.models import Notification, User, UserRole


def recipients(session, role: str, agency_id: int | None = None) -> list[User]:
    """Active users holding ``role`` (for ``opd``: of ``agency_id`` only)."""
    query = (select(User).join(UserRole, UserRole.user_id == User.id)
             .where(UserRole.role == role, User.active.is_(True)))
    if role == "opd":
        query = query.where(User.agency_id == agency_id)
    return list(session.scalars(query.order_by(User.id)))


def notify_role(session, *, role: str, agency_id: int | None, instance_id: str | None, task_id: str | None,
                kind: str, now, message_id: str = "", message_en: str = "", params: dict | None = None,
                email: bool = True) -> list[str]:
    """Notify every user of ``role``; return their usernames. With ``params`` the
    words are made from the kind and parameters when read (``texts``), and the
    stored text (the e-mail's) is made from them too."""
    if params is not None:
        message_id, message_en = texts.both(kind, params)
    users = recipients(session, role, agency_id)
    session.add_all(Notification(
        user_id=u.id, instance_id=instance_id, task_id=task_id, kind=kind, message_id=message_id[:500],
        message_en=message_en[:500], params=params, created_at=now,
        email_status="pending" if email and u.email else "none") for u in users)
    return [u.username for u in users]
