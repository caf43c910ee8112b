"""Saving an instance after a command: state, task projection, jobs, audit
events and domain rows, all in the caller's transaction.

What changed is found by comparing with the facts saved last time, so a
command writes only the rows that differ. The audit events, task projection and
jobs are sent before the instance row: the server writes them while its state is
packed. A lost race fails the whole transaction wherever it shows first (the
row's lock version, or an event's place in the chain), before anything is committed.
"""
from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, inspect, or_, update
from sqlalchemy.orm.attributes import NO_VALUE, set_committed_value

from engine.audit import chain as audit
from engine.runtime.facts import KEPT, facts_of
from engine.runtime.runner import next_timer_at, snapshot
from engine.runtime.state import pack_state
from engine.storage.prepared import Prepared, send_waiting
from engine.storage.models import Booking, Instance, Job, Letter, Meeting, ReadyTaskRow

RELEASES_BOOKING = {"rejected", "withdrawn", "schedule_full", "expired"}
_READY = cast(Table, ReadyTaskRow.__table__)  # the projection's table, for statements past the ORM
_JOBS = cast(Table, Job.__table__)
_INSTANCES = cast(Table, Instance.__table__)
# run on the driver: every command writes some of them
_DELETE_READY = Prepared(delete(_READY).where(_READY.c.instance_id == bindparam("instance_id")))
_INSERT_READY = Prepared(insert(_READY))
_INSERT_JOBS = Prepared(insert(_JOBS))
_CANCEL_JOB = Prepared(update(_JOBS).where(_JOBS.c.instance_id == bindparam("of_instance"),
                                           _JOBS.c.task_id == bindparam("gone"),
                                           or_(_JOBS.c.status == "pending", _JOBS.c.status == "incident"))
                       .values(status="cancelled", updated_at=bindparam("now")))
# the SET clause comes from the parameters given: the columns the command changed
_WRITE_INSTANCE = Prepared(update(_INSTANCES).where(_INSTANCES.c.id == bindparam("seen_id"),
                                                    _INSTANCES.c.lock_version == bindparam("seen_version")))
_RELEASE_BOOKING = Prepared(delete(Booking).where(Booking.instance_id == bindparam("of_instance")))
_REHOST_BOOKING = Prepared(update(Booking).where(Booking.instance_id == bindparam("of_instance"))
                           .values(host_id=bindparam("host")))
_UPDATE_MEETING = Prepared(update(Meeting).where(Meeting.instance_id == bindparam("of_instance")))
_INSERT_MEETING = Prepared(insert(Meeting))
_INSERT_LETTERS = Prepared(insert(Letter))
REMIND_AT = 2 / 3  # assignees are reminded when this share of a step's time has passed


def stage_instance(instance: Instance, workflow, process, now: datetime):
    """Set the instance row's columns from the workflow, all but its state (``write_changes``
    packs it); return what ``write_changes`` needs once the caller has appended its audit events."""
    before = instance.facts or {}
    snap = snapshot(workflow, process)
    facts = facts_of(snap.data, agency=before.get("agency"))
    if snap.interrupted:  # what the main flow knew stays what views show
        facts.update({k: before[k] for k in ("request", "schedule", "dispositions", "meeting") if before.get(k)})
        known = {x["document"] for x in facts["letters"]}
        facts["letters"] = [x for x in before.get("letters", []) if x["document"] not in known] + facts["letters"]
    facts["tasks"] = sorted(t.id for t in snap.ready)
    opened = before.get("opened", {})  # when each ready task first appeared, by the engine's clock
    facts["opened"] = {t.id: opened.get(t.id, now.isoformat()) for t in snap.ready}
    facts["reminded"] = {k: v for k, v in before.get("reminded", {}).items() if k in facts["opened"]}
    facts["jobs"] = sorted(task_id for task_id, _, _ in snap.pending)
    facts.update({k: before[k] for k in KEPT if k in before})
    instance.status = "completed" if snap.completed else (
        "error" if instance.status == "error" else "running")
    instance.outcome = snap.outcome
    instance.next_timer_at = next_timer_at(workflow)
    instance.meeting_start = _start_of(facts) or instance.meeting_start
    instance.expires_at = None if snap.interrupted else _expiry(instance, facts, snap.completed)
    instance.facts = facts
    instance.updated_at = now
    return before, snap


def _start_of(facts: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(facts["request"]["start_at"])
    except (KeyError, TypeError, ValueError):
        return None


def _expiry(instance: Instance, facts: dict, completed: bool) -> datetime | None:
    """The meeting start, while the response letter has not gone out."""
    sent = any(x["kind"] == "surat_tanggapan" for x in facts.get("letters", []))
    return None if completed or sent else instance.meeting_start


def write_changes(session, instance: Instance, workflow, staged, now: datetime, on_release=None) -> list | None:
    """Write the task projection and jobs, then the instance row with ``workflow``'s packed
    state (packed while the server writes the rows sent before it), then the domain rows;
    ``on_release(session, instance_id, sent_numbers, now)`` runs when the request ended
    without its meeting (the letters void the numbers never sent). The instance's task
    projection rows when it was rewritten, else None.

    Nothing before the instance row flushes the session: the ORM would write the row itself."""
    before, snap = staged
    facts = instance.facts
    projected = None
    if facts["tasks"] != before.get("tasks"):
        projected = _project_tasks(session, instance, snap.ready, facts["opened"], facts.get("reminded", {}))
    if facts["jobs"] != before.get("jobs"):
        _sync_jobs(session, instance, snap.pending, set(before.get("jobs", [])), now)
    send_waiting(session)
    instance.state = pack_state(workflow)
    write_instance(session, instance)
    _sync_domain(session, instance, before, facts, now)
    if instance.outcome in RELEASES_BOOKING:
        _RELEASE_BOOKING.run(session, {"of_instance": instance.id}, later=True)
        if on_release is not None:
            on_release(session, instance.id, {x.get("number") for x in facts.get("letters", [])}, now)
    return projected


def write_instance(session, instance: Instance) -> None:
    """Write the columns of ``instance`` changed in this session in one ``UPDATE`` past the
    ORM's unit of work, under the optimistic lock (``StaleDataError`` when another command
    wrote the row first: on PostgreSQL the server checks it, and the error comes where the
    write is sent, at the latest at the commit); the row object then holds them as committed."""
    state = inspect(instance)
    if state.pending or session.new:  # rows the command added through the ORM go first
        session.flush()
    if not state.committed_state:
        return
    # columns set again to the value they held are left out: each named in the SET clause has its
    # indexes rewritten (the instance row has a dozen), which the commit then writes out
    changed = {key: value for key, old in state.committed_state.items()
               if _differs(old, value := getattr(instance, key))}
    seen = instance.lock_version
    changed["lock_version"] = seen + 1
    _WRITE_INSTANCE.run_one(session, dict(changed, seen_id=instance.id, seen_version=seen), flush=False)
    for key, value in changed.items():
        set_committed_value(instance, key, value)
    # nothing left to write: without this the row stays flagged, and every later flush in the
    # command (each query's autoflush, the commit) walks the unit of work for it again
    state._commit_all(state.dict, session.identity_map)


def _differs(old, value) -> bool:
    if old is NO_VALUE:
        return True
    if value is old:  # the same JSON object assigned again may have been changed in place
        return isinstance(value, (dict, list))
    return value != old


def save_instance(session, instance: Instance, workflow, process, now: datetime, events=(),
                  actor=None, completed_event: bool = True, on_release=None) -> tuple:
    """Stage the instance, append the step's audit events, write everything
    (``completed_event``: record ``instance_completed`` when the workflow is complete);
    the snapshot written and the task projection's rows when rewritten (else None)."""
    staged = stage_instance(instance, workflow, process, now)
    record_events(session, instance, events, now=now, actor=actor, lanes=process.model.lane_of)
    if completed_event and staged[1].completed:
        audit.append(session, instance, at=now, type_="instance_completed", actor=actor,
                     data={"outcome": instance.outcome})
    return staged[1], write_changes(session, instance, workflow, staged, now, on_release)


def record_events(session, instance: Instance, events, *, now: datetime, actor=None,
                  on_behalf_of=None, lanes=None) -> None:
    """Append the engine's events of this command to the audit chain."""
    lanes = lanes or {}
    for event in events:
        audit.append(session, instance, at=now, type_=event.type, actor=actor,
                     on_behalf_of=on_behalf_of, lane=lanes.get(event.element_id),
                     task=event.element_id, task_id=event.task_id, data=event.data)


def _project_tasks(session, instance, tasks, opened: dict, reminded: dict) -> list:
    """Rewrite the instance's projection on the table, past the ORM's unit of work (nothing
    in the command uses the deleted rows afterwards); the new rows, as plain records with
    the columns' names, for the command's answer (an ORM object each cost more to make)."""
    _DELETE_READY.run(session, {"instance_id": instance.id}, flush=False, later=True)
    values = []
    for task in tasks:
        created = datetime.fromisoformat(opened[task.id])
        values.append(dict(
            id=task.id, instance_id=instance.id, element_id=task.element_id, title=task.title,
            lane=task.lane, form_key=task.form_key, agency_id=instance.agency_id, created_at=created,
            due_at=task.due_at, remind_at=created + (task.due_at - created) * REMIND_AT if task.due_at else None,
            reminded_at=datetime.fromisoformat(reminded[task.id]) if task.id in reminded else None))
    _INSERT_READY.run_many(session, values, flush=False, later=True)
    return [SimpleNamespace(**row) for row in values]


def queue_jobs(session, instance_id: str, jobs, now) -> None:
    """Queue ``jobs`` ((task id, element id, operator) each) of an instance for the worker, due
    now; written on the table past the ORM: the worker claims them by query, nothing in the
    command reads them back."""
    rows = [dict(instance_id=instance_id, task_id=task_id, element_id=element_id, operator=operator,
                 status="pending", attempts=0, next_attempt_at=now, created_at=now, updated_at=now)
            for task_id, element_id, operator in jobs]
    _INSERT_JOBS.run_many(session, rows, flush=False, later=True)


def _sync_jobs(session, instance, pending, known: set, now) -> None:
    current = {task_id for task_id, _, _ in pending}
    queue_jobs(session, instance.id, [job for job in pending if job[0] not in known], now)
    gone = known - current
    if gone:  # e.g. an interrupting event cancelled a waiting service task
        _CANCEL_JOB.run_many(session, [{"of_instance": instance.id, "gone": task_id, "now": now}
                                       for task_id in sorted(gone)], flush=False, later=True)


def _sync_domain(session, instance, before: dict, facts: dict, now) -> None:
    meeting = facts.get("meeting")
    if meeting and meeting != before.get("meeting"):
        values = dict(provider=meeting.get("provider", "manual"), meeting_id=str(meeting["meeting_id"]),
                      passcode=meeting.get("passcode"), join_url=meeting.get("join_url"),
                      host_id=meeting.get("host_id"))
        if _UPDATE_MEETING.run(session, dict(values, of_instance=instance.id)).rowcount == 0:
            _INSERT_MEETING.run(session, dict(values, instance_id=instance.id, created_at=now), later=True)
        if meeting.get("host_id"):  # the provider may have used another free host than the one booked
            _REHOST_BOOKING.run(session, {"of_instance": instance.id, "host": meeting["host_id"]}, later=True)
    known = {x["document"] for x in before.get("letters", [])}
    _INSERT_LETTERS.run_many(session, [dict(instance_id=instance.id, kind=x["kind"], document=x["document"],
                                            channel=x["channel"], sent_at=datetime.fromisoformat(x["sent_at"]))
                                       for x in facts.get("letters", []) if x["document"] not in known],
                          later=True)
