"""Time-driven work of the worker: BPMN timers that fell due, and requests
whose meeting time passed before the response letter went out.

Due rows are found through indexed columns (``next_timer_at``,
``expires_at``), one row per transaction, locked with ``SKIP LOCKED`` on
PostgreSQL, so several workers never handle the same instance twice.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from engine.audit import chain as audit
from engine.storage.models import Instance
from engine.runtime.unit_of_work import save_instance

ACTIVE = ("running", "error")
EXPIRED_MESSAGE = "request_expired"


def due_timers(now):
    """Instances with a timer due at ``now``."""
    return select(Instance).where(Instance.next_timer_at <= now, Instance.status.in_(ACTIVE))


def due_expiries(now):
    """Instances whose meeting started before they were fulfilled."""
    return select(Instance).where(Instance.expires_at <= now, Instance.status.in_(ACTIVE))


def _next(engine, session, query, column):
    return session.scalars(engine.db.locking(query.order_by(column).limit(1))).first()


def _loaded(engine, session, instance):
    process = engine.versions.compiled_by_id(session, instance.process_version_id)
    workflow = engine.live.take(instance, process, engine.runner.script_engine)
    run = engine.runner.new_session(engine.clock, instance.id, engine.ports(session))
    return process, workflow, run


def fire_next_timer(engine, actor: str) -> bool:
    """Fire the timers of one instance that has some due; False when none is due."""
    now = engine.clock.now()
    try:
        with engine.db.transaction() as session:
            instance = _next(engine, session, due_timers(now), Instance.next_timer_at)
            if instance is None:
                return False
            process, workflow, run = _loaded(engine, session, instance)
            engine.runner.fire_timers(workflow, run)
            save_instance(session, instance, workflow, process, now, run.events, actor=actor)
            if instance.next_timer_at is not None and instance.next_timer_at <= now:
                # a deadline the library would not fire: look again later, never spin
                instance.next_timer_at = now + timedelta(seconds=60)
            return True
    except StaleDataError:
        return True  # changed meanwhile; the next pass looks again


def expire_next(engine, actor: str) -> bool:
    """Expire one request whose meeting time passed; False when none is due."""
    now = engine.clock.now()
    try:
        with engine.db.transaction() as session:
            instance = _next(engine, session, due_expiries(now), Instance.expires_at)
            if instance is None:
                return False
            process, workflow, run = _loaded(engine, session, instance)
            payload = {"meeting_start": instance.meeting_start.isoformat(), "expired_at": now.isoformat()}
            if engine.runner.send_message(workflow, process, EXPIRED_MESSAGE, payload, run):
                audit.append(session, instance, at=now, type_="request_expired", actor=actor, data=payload)
                save_instance(session, instance, workflow, process, now, run.events, actor=actor)
            else:  # a version without an expiry path, or a withdrawal already under way
                instance.expires_at = None
            return True
    except StaleDataError:
        return True
