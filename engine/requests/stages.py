"""Where a request stands, named from its outcome, its open tasks and its
pending jobs: the one rule behind the agency's list, the request page, the
tracking page and the API (Indonesian and English)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import bindparam, or_, select

from engine.accounts import access
from engine.accounts.roles import role_of_lane
from engine.storage.prepared import Prepared
from engine.storage.models import Job, ReadyTaskRow
from engine.views import StageView

OPEN_JOBS = ("pending", "running", "incident")
# built once (every command's answer asks it)
_OPEN_JOBS = Prepared(select(Job.operator, Job.status).where(
    Job.instance_id == bindparam("instance_id"), or_(*(Job.status == status for status in OPEN_JOBS))).order_by(Job.id))
ENDED = {
    "fulfilled": ("Selesai: rapat Zoom dibuat dan surat tanggapan dikirim",
                  "Done: Zoom meeting created and response letter sent"),
    "schedule_full": ("Selesai: jadwal penuh, tidak ada akun Zoom yang tersedia",
                      "Done: schedule full, no Zoom account available"),
    "rejected": ("Ditolak", "Rejected"),
    "withdrawn": ("Ditarik oleh OPD", "Withdrawn by the agency"),
    "expired": ("Kedaluwarsa: waktu rapat sudah lewat", "Expired: the meeting time has passed"),
    "completed": ("Selesai", "Done"),
    "cancelled": ("Dibatalkan", "Cancelled"),
    "error": ("Terhambat: menunggu administrator", "Held up: waiting for an administrator"),
}
# who the SOP's lanes are, in words; a lane another process names is called by its own name
PEOPLE = {
    "Kadis": ("Kepala Dinas", "the Head of Agency"),
    "Kabid": ("Kepala Bidang", "the Head of Division"),
    "Subkoordinator": ("Subkoordinator", "the Subcoordinator"),
    "Staf": ("Staf", "the staff"),
}
# what the worker is doing for the request, by operator (a prefix ending in "/" covers a family)
WORKING = {
    "meeting/create": ("meeting_creating", "Rapat sedang dibuat", "The meeting is being created"),
    "meeting/cancel": ("meeting_cancelling", "Rapat sedang dibatalkan", "The meeting is being cancelled"),
    "meeting/reschedule": ("meeting_moving", "Rapat sedang dipindahkan", "The meeting is being moved"),
    "letter/dispatch": ("letter_sending", "Surat sedang dikirim", "The letter is being sent"),
    "letter/render": ("letter_preparing", "Surat sedang disiapkan", "The letter is being prepared"),
    "notice/": ("notice_sending", "Pemberitahuan sedang dikirim", "A notice is being sent"),
}
PROCESSING = ("processing", "Sedang diproses sistem", "Being processed by the system")


def stage_of(status: str, outcome: str | None, tasks, jobs, actor=None) -> StageView:
    """The stage of a request: its outcome once ended; else the caller's own task
    ("Menunggu tindakan Anda"), the lane it waits for, a job held up, what the
    worker is doing, or plain processing. ``tasks``: views or rows with ``lane``,
    ``title`` and ``agency_id`` (or ``can_complete``); ``jobs``: (operator, status)
    of its open jobs; ``actor``: the reader (None: a public reader)."""
    if status != "running":
        code = outcome if outcome in ENDED else status
        text, text_en = ENDED.get(code, (status, status))
        return StageView(code, text, text_en)
    if tasks:
        return _waiting(tasks, actor)
    if any(state == "incident" for _, state in jobs):
        return StageView("held_up", *ENDED["error"])
    for operator, _ in jobs:
        found = next((w for key, w in WORKING.items() if operator == key or
                      (key.endswith("/") and operator.startswith(key))), None)
        if found:
            return StageView(*found)
    return StageView(*PROCESSING)


def _mine(task, actor) -> bool:
    if actor is None:
        return False
    if hasattr(task, "can_complete"):
        return bool(task.can_complete)
    return access.can_complete(actor, task.lane, task.agency_id)


def _english_step(task) -> str:
    """``: <step>`` in English when the task knows its English title; the projection
    holds the model's (Indonesian) name only, which an English page must not mix in."""
    title_en = getattr(task, "title_en", None)
    return f": {title_en}" if title_en else ""


def _waiting(tasks, actor) -> StageView:
    own = next((t for t in tasks if _mine(t, actor)), None)
    if own is not None:
        return StageView("your_action", f"Menunggu tindakan Anda: {own.title}",
                         f"Waiting for you{_english_step(own)}", own.title)
    task = tasks[0]
    role = role_of_lane(task.lane) if task.lane else None
    if role == "opd":
        return StageView("waiting_opd", "Menunggu tindakan OPD pemohon", "Waiting for the requesting agency",
                         task.title)
    who, who_en = PEOPLE.get(task.lane or "", (task.lane or "petugas", task.lane or "an official"))
    return StageView(f"waiting_{role or 'lane'}", f"Menunggu {who}: {task.title}",
                     f"Waiting for {who_en}{_english_step(task)}", task.title)


def open_jobs(session, instance_id: str) -> list[tuple[str, str]]:
    """(operator, status) of an instance's open jobs, oldest first."""
    return _OPEN_JOBS.rows(session, {"instance_id": instance_id})


def open_jobs_read(session, instance_id: str, *, at_commit: bool) -> Callable[[], list[tuple[str, str]]]:
    """``open_jobs`` as a function to call once read: now, or (``at_commit``) with the
    transaction's ``COMMIT``, after every write of the command."""
    if at_commit:
        return _OPEN_JOBS.rows_at_commit(session, {"instance_id": instance_id}).rows
    found = open_jobs(session, instance_id)
    return lambda: found


def open_work(session, instance_ids) -> tuple[dict, dict]:
    """Ready-task rows and open (operator, status) jobs by instance id, in two queries."""
    ids = list(instance_ids)
    tasks: dict = defaultdict(list)
    jobs: dict = defaultdict(list)
    if not ids:
        return tasks, jobs
    for row in session.scalars(select(ReadyTaskRow).where(ReadyTaskRow.instance_id.in_(ids))
                               .order_by(ReadyTaskRow.created_at)):
        tasks[row.instance_id].append(row)
    for instance_id, operator, status in session.execute(
            select(Job.instance_id, Job.operator, Job.status)
            .where(Job.instance_id.in_(ids), Job.status.in_(OPEN_JOBS)).order_by(Job.id)):
        jobs[instance_id].append((operator, status))
    return tasks, jobs
