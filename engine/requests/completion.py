"""Completing a ready task with its form's data, in one unit of work; the
letter steps (7-9) act inside the same command."""
from __future__ import annotations

import copy
from types import SimpleNamespace

from sqlalchemy import bindparam, select

from engine.accounts import access
from engine.audit import chain as audit
from engine.errors import Conflict, EngineError, InvalidData, NotFound, Unavailable
from engine.letters import approvals
from engine.notifications import agency as agency_news
from engine.requests import host_choice, proposal, queries
from engine.requests.form_data import checked
from engine.runtime.command import INSTANCE_COLUMNS, Busy, attach_instance, attach_row
from engine.storage.models import Agency, AuditEvent, Instance, ReadyTaskRow
from engine.storage.prepared import Prepared

CHANGED = ("the task was completed or changed meanwhile", "tugas ini sudah diselesaikan atau berubah sementara itu")
_ROW = ("id", "element_id", "lane", "agency_id")  # what a completion needs of the task's row
# one read of the row, its instance and its agency's name on the driver, the instance then
# attached here: the ORM's own loading of three entities was the largest part of a small command
_READY_ROW = Prepared(select(*(getattr(ReadyTaskRow, name) for name in _ROW),
                             *INSTANCE_COLUMNS, Agency.name)
                      .join_from(ReadyTaskRow, Instance, Instance.id == ReadyTaskRow.instance_id)
                      .outerjoin(Agency, Agency.id == Instance.agency_id).where(ReadyTaskRow.id == bindparam("task_id")))


def _ready_row(session, task_id: str):
    """The ready task's row (its columns as a record) and its instance (attached to the
    session), or None; the agency's name is noted for the answer's view."""
    found = _READY_ROW.rows(session, {"task_id": task_id})
    if not found:
        return None
    values = found[0]
    row = SimpleNamespace(**dict(zip(_ROW, values)))
    instance = attach_instance(session, values[len(_ROW):-1])
    if instance.agency_id is not None:
        queries.note_agency_name(session, instance.agency_id, values[-1])
    return row, instance


def _kept_row(session, task, values: dict):
    """The kept task's row and its instance from the row kept (``LiveWorkflows.claim``)."""
    return SimpleNamespace(id=task.id, element_id=task.element_id, lane=task.lane,
                           agency_id=values["agency_id"]), attach_row(session, values)


def complete_task(kernel, task_id: str, data, actor, lang: str = "id", *, final: dict | None = None):
    """Complete the ready task ``task_id``; its instance's InstanceView. Conflict when
    it was completed or changed meanwhile. ``final``: the signed letter the signer's own
    request stored (``signing_desk``).

    When this process committed the task's instance last, the command starts from the row
    it kept (``LiveWorkflows.claim``) and reads nothing first; should that row be stale,
    the optimistic lock fails at the write, and whatever the attempt raised is left
    unsaid: the command runs again from a fresh read, whose answer or error stands. A step
    whose kept rows are stale as a rule reads first (``LiveWorkflows.worth_trying``)."""
    task_id = str(task_id)
    kept = kernel.live.claim(task_id)
    if kept is not None and kernel.live.worth_trying(kept[0].element_id):
        try:
            answer = _complete(kernel, task_id, copy.deepcopy(data), actor, lang, final, kept)
        except (Busy, Unavailable):  # the database's state, not the row's: the same again
            raise
        except EngineError:
            kernel.live.forget(kept[1]["id"])
        else:
            kernel.live.learn(kept[0].element_id, current=True)
            return answer
    return _complete(kernel, task_id, data, actor, lang, final, None, claimed=kept)


def _complete(kernel, task_id: str, data, actor, lang: str, final: dict | None, kept, claimed=None):
    found: list = []  # the row and instance, held: the session keeps only weak references to the instance

    def ready_row_instance(session):
        found[:] = (_kept_row(session, *kept) if kept else _ready_row(session, task_id)) or ()
        if not found:
            raise missing_task(session, task_id, actor)
        row, instance = found
        if claimed is not None:  # read afresh although a row was kept: was it current?
            kernel.live.learn(row.element_id, instance.lock_version == claimed[1]["lock_version"])
        access.require_instance(actor, row.agency_id)
        access.require_complete(actor, row.lane, row.agency_id)
        return instance

    with kernel.command(ready_row_instance, conflict=CHANGED) as cmd:
        session, instance, process = cmd.session, cmd.instance, cmd.process
        row = found[0]
        opened_before = agency_news.open_task_ids(instance)
        element = process.model.elements[row.element_id]
        workflow = cmd.workflow
        task = kernel.runner.user_task(workflow, row.id)
        data = checked(kernel, process.forms[element.form_key], data, task.data.get(element.variable), lang)
        form = process.forms[element.form_key]
        full = proposal.full_proposal_problem(kernel, session, instance, form, data, lang)
        if full:
            raise InvalidData({proposal.START: [full]})
        taken = host_choice.host_problem(kernel, session, instance, form, data, lang)
        if taken:
            raise InvalidData({host_choice.FIELD: [taken]})
        if element.variable in approvals.STEPS:  # the office is made only for the letter steps
            approvals.before_complete(kernel.letter_office(session), session, instance, task, element, data,
                                      actor, cmd.now, final=final)
        kernel.runner.complete(workflow, process, row.id, data, cmd.run)
        audit.append(session, instance, at=cmd.now, type_="task_completed", actor=actor.username,
                     on_behalf_of=access.on_behalf_of(actor, row.lane), lane=row.lane,
                     task=row.element_id, task_id=row.id, data=data)
        cmd.save()
        agency_news.tell_of_new_tasks(session, instance, opened_before, cmd.now, cmd.snapshot.ready)
        agency_news.settle(session, row, cmd.now)
        cmd.answer_with(queries.answer_view(session, instance, process, actor,
                                            kernel.versions.row(session, instance.process_version_id),
                                            cmd.projected))
    return cmd.answer


def missing_task(session, task_id: str, actor):
    """The error for a task that is not ready: Conflict when the actor may see that it
    was completed, else NotFound."""
    event = session.scalars(select(AuditEvent).where(AuditEvent.task_id == str(task_id))).first()
    if event is not None:
        instance = session.get(Instance, event.instance_id)
        if access.can_see_instance(actor, instance.agency_id):
            return Conflict("the task is already completed", "tugas ini sudah diselesaikan")
        return NotFound("no such task", "tugas tidak ditemukan")
    return NotFound("no such task", "tugas tidak ditemukan")
