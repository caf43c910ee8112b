"""News for the requesting agency in the app: a step of its own is waiting (the
request came back to be completed, the schedule was full, the letter arrived
and its receipt is asked). Its mail already carries letters and notices, so
these are not mailed again."""
from __future__ import annotations

from sqlalchemy import bindparam, select, update

from engine.accounts.roles import role_of_lane
from engine.notifications.notify import notify_role
from engine.storage.prepared import Prepared
from engine.storage.models import Notification, ReadyTaskRow

KIND = "agency_task"
# built once: every completion of an agency's task runs it
_SETTLE = Prepared(update(Notification).where(Notification.task_id == bindparam("of_task"), Notification.kind == KIND,
                                               Notification.read_at.is_(None)).values(read_at=bindparam("now")))


def open_task_ids(instance) -> set[str]:
    """The ready task ids the instance had when loaded (before a command changes it)."""
    return set((instance.facts or {}).get("tasks") or [])


def tell_of_new_tasks(session, instance, before: set[str], now, tasks=None) -> list[str]:
    """Notify the agency of each of its lane's tasks that opened since ``before``;
    the usernames told. ``tasks``: the instance's ready tasks when the caller has
    them (a command's snapshot: id, element_id, title, lane), else they are read."""
    told: list[str] = []
    if tasks is None:
        tasks = session.scalars(select(ReadyTaskRow).where(ReadyTaskRow.instance_id == instance.id)).all()
    for row in tasks:
        if row.id in before or role_of_lane(row.lane) != "opd" or instance.agency_id is None:
            continue
        told += notify_role(session, role="opd", agency_id=instance.agency_id, instance_id=instance.id,
                            task_id=row.id, kind=KIND, now=now, email=False,
                            params={"step": row.element_id, "title": row.title, "topic": instance.topic})
    return told


def settle(session, row, now) -> None:
    """The agency acted on its task ``row``: the news that asked for it is read
    (for every account of the agency), so it no longer waits among the unread."""
    if role_of_lane(row.lane) != "opd":
        return
    _SETTLE.run(session, {"of_task": row.id, "now": now}, later=True)
