"""Human tasks: the caller's work list, one task with its form, completing it."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint

from api.context import actor, engine, lang
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, query, shared
from api.resources.schemas.requests import FormDataSchema, TaskFilterSchema
from api.resources.schemas.responses import CompletionSchema, TaskDetailSchema, TaskSchema

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.get("")
@operation("Tugas siap yang dapat diselesaikan pemanggil, menurut tenggat, dengan konteks permohonannya",
           response=TaskSchema, many=True, tag="tasks", query=TaskFilterSchema)
def list_tasks():
    """Ready tasks the caller may complete, with their request's context;
    ``?step=<name>`` keeps one step's."""
    step = query(shared(TaskFilterSchema)).get("step")
    return answer(shared(TaskSchema, many=True), engine().list_tasks(actor(), step=step))


@bp.get("/<uuid:task_id>")
@operation("Satu tugas dengan formulir dan konteksnya", response=TaskDetailSchema,
           errors=(404, 409), tag="tasks")
def get_task(task_id):
    """A ready task with its form and context, and the state of the letter a review
    is about (409 once completed)."""
    detail = engine().get_task(str(task_id), actor())
    document = engine().letters.task_document(str(task_id), actor())
    return answer(shared(TaskDetailSchema), SimpleNamespace(**vars(detail), document=document))


@bp.post("/<uuid:task_id>/complete")
@operation("Selesaikan tugas dengan data formulir", response=CompletionSchema, body=FormDataSchema,
           errors=(403, 404, 409, 502), tag="tasks")
def complete_task(task_id):
    """Complete a task; 409 when it was completed or changed meanwhile. With the ``bsre``
    provider the Kadis's signature needs ``passphrase``: a refusal is 422 on that field
    (502 when BSrE cannot be reached), the step staying open with its number."""
    body = json_body(shared(FormDataSchema))
    view = engine().complete_task(str(task_id), body["data"], actor(), lang(), passphrase=body.get("passphrase"))
    return answer(shared(CompletionSchema), {"instance": view, "tasks": view.tasks})
