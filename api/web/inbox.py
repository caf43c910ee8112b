"""The inbox: the caller's ready tasks by due time, and their notifications."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta, timezone

from flask import Blueprint, redirect, render_template, request, url_for

from engine import long_datetime

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required
from api.web.timeline import step_title

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


def meeting_words(task) -> str | None:
    """The meeting's day, date and time in WITA (``Senin, 7 Desember 2026 pukul 09.00 WITA``)."""
    return long_datetime(task.meeting_start, page_lang()) if task.meeting_start else None


def step_filters(tasks) -> list[tuple[str, str, int]]:
    """(step, title, count) of every step among ``tasks``, in order of first appearance."""
    counts = Counter(task.name for task in tasks)
    titles = {task.name: step_title(task.title, task.title_en) for task in tasks}
    return [(name, titles[name], count) for name, count in counts.items()]


def per_request(notes) -> list[tuple[str | None, str | None, list]]:
    """(request id, topic, notes) groups, newest group first, in the notes' order."""
    groups: dict = {}
    for note in notes:
        groups.setdefault(note.instance_id, (note.instance_id, note.topic, []))[2].append(note)
    return list(groups.values())


@bp.get("/kotak-masuk")
@login_required
def inbox():
    """Tasks sorted by due time, each with its request's context (topic, agency,
    meeting, letter number), badges, counts and a filter by step
    (``?langkah=``); notifications below."""
    actor = current_actor()
    now = engine().clock.now()
    every = engine().list_tasks(actor)
    chosen = request.args.get("langkah") or None
    tasks = [(task, urgency(task, now)) for task in every if chosen in (None, task.name)]
    by_state = Counter(state for _, state in tasks)
    notes = engine().notifications(actor, lang=page_lang())
    return render_template("web/inbox.html", tasks=tasks, by_state=by_state, steps=step_filters(every),
                           chosen=chosen, total=len(every), meeting_words=meeting_words,
                           fresh=per_request([n for n in notes if n.read_at is None]),
                           notifications=notes, unread=sum(1 for n in notes if n.read_at is None))


@bp.post("/notifikasi/<int:notification_id>/dibaca")
@login_required
def mark_read(notification_id):
    """Mark one of the caller's notifications read."""
    engine().mark_notification_read(notification_id, current_actor(), page_lang())
    return redirect(url_for("web_inbox.inbox") + "#notifikasi")


@bp.post("/notifikasi/dibaca-semua")
@login_required
def mark_all_read():
    """Mark every unread notification of the caller read."""
    engine().mark_all_notifications_read(current_actor())
    return redirect(url_for("web_inbox.inbox") + "#notifikasi")
