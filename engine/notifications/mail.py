"""E-mail copies of notifications, sent by the worker outside any
transaction: claim one (a lease), send it, record the result. A retried send
is the same message (its Message-ID comes from the notification)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select

from engine.letters.config import MailSettings
from engine.letters.mail import Outgoing, compose
from engine.letters.transport import transport_for
from engine.errors import ServiceError
from engine.storage.models import Notification, User

LEASE = timedelta(minutes=5)
BACKOFF = timedelta(minutes=1)
MAX_ATTEMPTS = 5
SUBJECTS = {"reminder": "Pengingat tugas", "escalation": "Eskalasi keterlambatan"}


def due_mails(now):
    """Notifications whose e-mail is waiting (or whose sender died holding it)."""
    return select(Notification).where(
        Notification.email_status.in_(("pending", "sending")),
        or_(Notification.email_next_at.is_(None), Notification.email_next_at <= now))


def send_next(engine, actor: str) -> bool:
    """Send one waiting notification e-mail; False when none is waiting."""
    claimed = _claim(engine)
    if claimed is None:
        return False
    if claimed is SKIPPED:
        return True
    notification_id, address, kind, text = claimed
    settings = engine.settings
    mail = settings.mail or MailSettings()  # none configured: the outbox, with placeholder addresses
    outgoing = Outgoing((address,), (), f"[vicon] {SUBJECTS.get(kind, 'Pemberitahuan')}", text + "\n", ())
    key = f"notification-{notification_id}"
    message = compose(outgoing, sender=mail.sender, sender_name=settings.letters.sender_name,
                      key=key, domain=mail.domain, now=engine.clock.now())
    try:
        transport_for(settings.mail, settings.outbox_dir).send(message, key, {})
        _finish(engine, notification_id, "sent")
    except ServiceError as exc:
        _finish(engine, notification_id, "pending" if exc.transient else "failed")
    return True


SKIPPED = object()


def _claim(engine):
    now = engine.clock.now()
    with engine.db.transaction() as session:
        row = session.scalars(engine.db.locking(due_mails(now).order_by(Notification.id).limit(1))).first()
        if row is None:
            return None
        address = session.scalar(select(User.email).where(User.id == row.user_id))
        if not address or row.email_attempts >= MAX_ATTEMPTS:
            row.email_status, row.email_next_at = "failed", None
            return SKIPPED
        row.email_status, row.email_attempts, row.email_next_at = "sending", row.email_attempts + 1, now + LEASE
        return row.id, address, row.kind, row.message_id


def _finish(engine, notification_id: int, status: str) -> None:
    now = engine.clock.now()
    with engine.db.transaction() as session:
        row = session.get(Notification, notification_id)
        row.email_status = status
        row.email_next_at = now + BACKOFF * row.email_attempts if status == "pending" else None
