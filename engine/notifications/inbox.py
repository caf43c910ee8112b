"""A user's notifications: listing them and marking them read."""
from __future__ import annotations

from sqlalchemy import select, update

from engine.errors import NotFound
from engine.notifications import texts
from engine.storage.models import Instance, Notification, User
from engine.views import NotificationView

MAX_LIST = 200


def _user_id(session, username: str) -> int | None:
    return session.scalar(select(User.id).where(User.username == username))


def view(row: Notification, lang: str = "id", topic: str | None = None, model=None) -> NotificationView:
    """A notification row as a view, its words made now in ``lang`` (with the
    instance's ``model``, its step named as the model names it)."""
    step = model.elements.get((row.params or {}).get("step")) if model is not None else None
    names = (step.name, step.name_en) if step is not None else (None, None)
    words = texts.render(row.kind, row.params, lang, (row.message_id, row.message_en), names)
    return NotificationView(row.id, row.instance_id, row.task_id, row.kind, words, row.created_at, row.read_at,
                            topic)


def notifications(session, username: str, unread_only: bool = False, lang: str = "id", model_of=None) -> list:
    """The user's notifications, newest first; ``model_of``: version id -> the model
    an instance runs (its steps are then named in ``lang`` from the model)."""
    query = (select(Notification, Instance.topic, Instance.process_version_id)
             .outerjoin(Instance, Instance.id == Notification.instance_id)
             .where(Notification.user_id == _user_id(session, username)))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    rows = session.execute(query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(MAX_LIST))
    return [view(r, lang, topic, model_of(version_id) if model_of and version_id else None)
            for r, topic, version_id in rows]


def mark_read(session, username: str, notification_id: int, now, lang: str = "id") -> NotificationView:
    """Mark one of the user's notifications read; NotFound for anyone else's."""
    row = session.get(Notification, notification_id)
    if row is None or row.user_id != _user_id(session, username):
        raise NotFound("no such notification", "notifikasi tidak ditemukan")
    row.read_at = row.read_at or now
    return view(row, lang)


def mark_all_read(session, username: str, now) -> int:
    """Mark every unread notification of the user read; how many were."""
    result = session.execute(update(Notification)
                             .where(Notification.user_id == _user_id(session, username),
                                    Notification.read_at.is_(None))
                             .values(read_at=now))
    return int(getattr(result, "rowcount", 0) or 0)
