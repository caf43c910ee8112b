"""The inbox: the caller's ready tasks by due time, and their notifications."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta, timezone

from flask import Blueprint, redirect, render_template, url_for

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_inbox", __name__)
errors.attach(bp)
NEAR_SHARE = 0.25  # the last quarter of a task's time standard counts as near due
NEAR_MINIMUM = timedelta(minutes=5)


def urgency(task, now) -> str:
    """``overdue``, ``near`` or ``ok`` for a task's due time."""
    if task.due_at is None:
        return "ok"
    due, created = _aware(task.due_at), _aware(task.created_at)
    if due <= now:
        return "overdue"
    near = max(NEAR_MINIMUM, (due - created) * NEAR_SHARE)
    return "near" if due - now <= near else "ok"


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


@bp.get("/kotak-masuk")
@login_required
def inbox():
    """Tasks sorted by due time with badges and counts; notifications below."""
    actor = current_actor()
    now = engine().clock.now()
    tasks = [(task, urgency(task, now)) for task in engine().list_tasks(actor)]
    by_state = Counter(state for _, state in tasks)
    by_title = Counter(task.title for task, _ in tasks)
    notes = engine().notifications(actor, lang=page_lang())
    return render_template("web/inbox.html", tasks=tasks, by_state=by_state, by_title=by_title,
                           notifications=notes, unread=sum(1 for n in notes if n.read_at is None))


@bp.post("/notifikasi/<int:notification_id>/dibaca")
@login_required
def mark_read(notification_id):
    """Mark one of the caller's notifications read."""
    engine().mark_notification_read(notification_id, current_actor(), page_lang())
    return redirect(url_for("web_inbox.inbox") + "#notifikasi")
