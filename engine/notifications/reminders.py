"""Reminders: before a step's time standard runs out, its assignees hear of
it (in the app, and by e-mail where they have an address)."""
from __future__ import annotations

from sqlalchemy import select

from engine.audit import chain as audit
from engine.errors import Conflict
from engine.notifications.notify import notify_role
from engine.accounts.roles import role_of_lane
from engine.storage.models import Instance, ReadyTaskRow


def due_reminders(now):
    """Ready tasks whose reminder time has come, not yet reminded and not yet
    overdue (an overdue step is escalated instead)."""
    return select(ReadyTaskRow).where(ReadyTaskRow.remind_at <= now, ReadyTaskRow.reminded_at.is_(None),
                                      ReadyTaskRow.due_at > now)


def remind_next(kernel, actor: str) -> bool:
    """Send one due reminder (a command on its request); False when none is due."""
    found = {}

    def instance_of_due_task(session):
        row = found["row"] = session.scalars(kernel.db.locking(
            due_reminders(kernel.clock.now()).order_by(ReadyTaskRow.remind_at).limit(1))).first()
        return session.get(Instance, row.instance_id) if row is not None else None

    try:
        with kernel.command(instance_of_due_task, actor=actor) as cmd:
            session, instance, now, row = cmd.session, cmd.instance, cmd.now, found["row"]
            if row is None:
                return False
            instance.facts = dict(instance.facts, reminded={**instance.facts.get("reminded", {}),
                                                           row.id: now.isoformat()})
            row.reminded_at = now
            role = role_of_lane(row.lane)
            sent_to = [] if role is None else notify_role(
                session, role=role, agency_id=row.agency_id, instance_id=instance.id,
                task_id=row.id, kind="reminder", now=now,
                params={"step": row.element_id, "title": row.title, "topic": instance.topic,
                        "due_at": row.due_at.isoformat()})
            audit.append(session, instance, at=now, type_="reminder_sent", actor=actor, lane=row.lane,
                         task=row.element_id, task_id=row.id,
                         data={"due_at": row.due_at.isoformat(), "recipients": sent_to})
            return True
    except Conflict:
        return True  # the instance changed meanwhile; the next pass looks again
