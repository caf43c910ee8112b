"""What the API answers: one schema per kind of JSON object."""
from __future__ import annotations

import os

from marshmallow import Schema, fields, pre_dump

from api.resources.schemas.fields import Timestamp


class FormSchema(Schema):
    """A form: JSON Schema (draft 2020-12) and uiSchema."""

    key = fields.String()
    schema = fields.Dict()
    ui_schema = fields.Dict()


class DefinitionSchema(Schema):
    """A deployed process version and its start form."""

    key = fields.String()
    name = fields.String(allow_none=True)
    version = fields.Integer()
    hash = fields.String()
    deployed_at = Timestamp()
    start_form = fields.Nested(FormSchema, allow_none=True)


class TaskSchema(Schema):
    """A ready human task; ``name`` is its BPMN element id, ``title`` its label."""

    id = fields.String()
    instance_id = fields.String()
    name = fields.String()
    title = fields.String()
    lane = fields.String(allow_none=True)
    created_at = Timestamp()
    due_at = Timestamp(allow_none=True)
    form_key = fields.String(allow_none=True)
    can_complete = fields.Boolean(metadata={"description": "The caller may complete it"})
    role = fields.String(allow_none=True, metadata={
        "description": "The role that works the task's lane (a lane may carry another name than its role)"})
    topic = fields.String(allow_none=True, metadata={"description": "The request's topic (perihal)"})
    agency = fields.String(allow_none=True, metadata={"description": "The requesting agency's code"})
    agency_name = fields.String(allow_none=True, metadata={"description": "The requesting agency's full name"})
    letter_number = fields.String(allow_none=True, metadata={
        "description": "Number of the agency's request letter"})
    meeting_start = Timestamp(allow_none=True, metadata={"description": "When the requested meeting starts"})
    overdue = fields.Boolean(allow_none=True, metadata={
        "description": "The task's due time has passed (in the task list; null elsewhere)"})


class DocumentStateSchema(Schema):
    """Where the letter document a review task is about stands; the worker lays it out after commit."""

    stage = fields.String(metadata={"description": "konsep (the draft under review) or final"})
    version = fields.Integer(metadata={"description": "The draft's version"})
    state = fields.String(metadata={
        "description": "ready, pending (sedang disiapkan: not reviewable yet), failed (an incident) or missing"})
    sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 of the stored PDF, once ready"})
    document_id = fields.Integer(allow_none=True)
    number = fields.String(allow_none=True)


class TaskDetailSchema(TaskSchema):
    """A task with its form and what the caller may see of the request."""

    form = fields.Nested(FormSchema, allow_none=True)
    # not named ``context``: that is the Schema's own attribute
    task_context = fields.Dict(attribute="context", data_key="context")
    document = fields.Nested(DocumentStateSchema, allow_none=True, dump_only=True, metadata={
        "description": "The letter a review task (T08, T09) is about; null for other tasks (read-only)"})

    @pre_dump
    def _flatten(self, view, **_kwargs):
        return {**vars(view.task), "form": view.form, "context": view.context,
                "document": getattr(view, "document", None)}


class LetterSchema(Schema):
    """A letter sent to the agency (its PDF: ``letters/{id}.pdf``)."""

    id = fields.Integer(allow_none=True)
    number = fields.String(allow_none=True)
    kind = fields.String()
    channel = fields.String()
    document = fields.Function(lambda letter: os.path.basename(letter["document"] or "") or None,
                               metadata={"type": "string"})
    sent_at = Timestamp()


class MeetingSchema(Schema):
    """The Zoom meeting (an agency sees it once the response letter is sent)."""

    provider = fields.String(allow_none=True)
    meeting_id = fields.String(allow_none=True)
    passcode = fields.String(allow_none=True)
    join_url = fields.String(allow_none=True)
    host_id = fields.String(allow_none=True)
    start_at = fields.String(metadata={"description": "Start as the provider has it"})
    duration_minutes = fields.Integer()
    start_url = fields.String(metadata={
        "description": "The host's start link (signs in as the host): staff only, never the agency"})


class StageSchema(Schema):
    """Where a request stands, as the engine names it for the caller."""

    code = fields.String(metadata={"description": "e.g. your_action, waiting_kadis, meeting_creating, "
                                                  "letter_sending, held_up, fulfilled"})
    text = fields.String(metadata={"description": "In Indonesian"})
    text_en = fields.String(metadata={"description": "In English"})
    step = fields.String(allow_none=True, metadata={"description": "Title of the step it waits on"})


class InstanceSummarySchema(Schema):
    """An instance as lists show it."""

    id = fields.String()
    process_key = fields.String()
    version = fields.Integer()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    topic = fields.String()
    letter_number = fields.String()
    meeting_start = Timestamp(allow_none=True)
    created_at = Timestamp()
    updated_at = Timestamp()
    stage = fields.Nested(StageSchema, allow_none=True)
    agency_name = fields.String(allow_none=True, metadata={"description": "The requesting agency's full name"})


class InstanceSchema(InstanceSummarySchema):
    """An instance in full, as the caller may see it."""

    tasks = fields.List(fields.Nested(TaskSchema))
    request = fields.Dict()
    meeting = fields.Nested(MeetingSchema, allow_none=True)
    letters = fields.List(fields.Nested(LetterSchema))
    schedule = fields.Dict(allow_none=True)
    dispositions = fields.List(fields.Dict())

    @pre_dump
    def _flatten(self, view, **_kwargs):
        return {**vars(view.summary), "tasks": view.tasks, "request": view.request,
                "meeting": view.meeting, "letters": view.letters, "schedule": view.schedule,
                "dispositions": view.dispositions}


class CompletionSchema(Schema):
    """The instance after a task was completed, and its ready tasks."""

    instance = fields.Nested(InstanceSchema)
    tasks = fields.List(fields.Nested(TaskSchema))


class InstancePageSchema(Schema):
    """One page of instances."""

    items = fields.List(fields.Nested(InstanceSummarySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class EventSchema(Schema):
    """One audit event."""

    seq = fields.Integer()
    at = Timestamp()
    actor = fields.String(allow_none=True)
    on_behalf_of = fields.String(allow_none=True)
    lane = fields.String(allow_none=True)
    type = fields.String()
    task = fields.String(allow_none=True)
    data = fields.Dict()


class JobSchema(Schema):
    """An external service job (an incident when its retries ran out)."""

    id = fields.Integer()
    instance_id = fields.String()
    element_id = fields.String()
    operator = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    next_attempt_at = Timestamp()


class TokenSchema(Schema):
    """A bearer token."""

    access_token = fields.String()
    token_type = fields.String(metadata={"example": "Bearer"})
    expires_in = fields.Integer(metadata={"description": "Seconds until it expires"})


class ErrorSchema(Schema):
    """An error: a stable code and a message in the caller's language."""

    error = fields.String()
    message = fields.String()


class InvalidSchema(ErrorSchema):
    """Invalid input: messages per field (``_form`` for the whole body)."""

    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
