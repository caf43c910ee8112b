"""Time-driven work of the worker: BPMN timers that fell due, and requests
whose meeting time passed before the response letter went out.

Due rows are found through indexed columns (``next_timer_at``,
``expires_at``), one row per transaction, locked with ``SKIP LOCKED`` on
PostgreSQL, so several workers never handle the same instance twice.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.audit import chain as audit
from engine.errors import Conflict
from engine.storage.models import Instance

ACTIVE = ("running", "error")
EXPIRED_MESSAGE = "request_expired"


def due_timers(now):
    """Instances with a timer due at ``now``."""
    return select(Instance).where(Instance.next_timer_at <= now, Instance.status.in_(ACTIVE))


def due_expiries(now):
    """Instances whose meeting started before they were fulfilled."""
    return select(Instance).where(Instance.expires_at <= now, Instance.status.in_(ACTIVE))


def _next(kernel, due, column):
    """A finder of the first instance ``due(now)`` selects, locked for this worker."""
    def first(session):
        query = due(kernel.clock.now()).order_by(column).limit(1)
        return session.scalars(kernel.db.locking(query)).first()
    return first


def fire_next_timer(kernel, actor: str) -> bool:
    """Fire the timers of one instance that has some due; False when none is due."""
    try:
        with kernel.command(_next(kernel, due_timers, Instance.next_timer_at), actor=actor) as cmd:
            instance, now = cmd.instance, cmd.now
            if instance is None:
                return False
            kernel.runner.fire_timers(cmd.workflow, cmd.run)
            cmd.save()
            if instance.next_timer_at is not None and instance.next_timer_at <= now:
                # a deadline the library would not fire: look again later, never spin
                instance.next_timer_at = now + timedelta(seconds=60)
            return True
    except Conflict:
        return True  # changed meanwhile; the next pass looks again


def expire_next(kernel, actor: str) -> bool:
    """Expire one request whose meeting time passed; False when none is due."""
    try:
        with kernel.command(_next(kernel, due_expiries, Instance.expires_at), actor=actor) as cmd:
            instance, now = cmd.instance, cmd.now
            if instance is None:
                return False
            payload = {"meeting_start": instance.meeting_start.isoformat(), "expired_at": now.isoformat()}
            if kernel.runner.send_message(cmd.workflow, cmd.process, EXPIRED_MESSAGE, payload, cmd.run):
                audit.append(cmd.session, instance, at=now, type_="request_expired", actor=actor, data=payload)
            else:  # a version without an expiry path, or a withdrawal already under way
                cmd.discard()
                instance.expires_at = None
            return True
    except Conflict:
        return True
