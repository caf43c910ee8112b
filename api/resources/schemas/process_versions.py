"""Uploads, versions and migrations of process definitions."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.resources.schemas.fields import RequestSchema, Timestamp, integer


class UploadSchema(Schema):
    """A process definition upload (multipart/form-data)."""

    bpmn = fields.Raw(required=True, metadata={
        "type": "string", "format": "binary",
        "description": "The .bpmn file (at most 2 MiB; no DOCTYPE or entities)."})
    forms = fields.List(fields.Raw(metadata={"type": "string", "format": "binary"}), metadata={
        "description": "Form files named <key>.schema.json or <key>.uischema.json (at most "
                       "256 KiB each); forms left out come from the newest version of the "
                       "process or from the bundled ones."})


class ProblemSchema(Schema):
    """One problem of a process definition: the element and what is wrong."""

    element_id = fields.String(allow_none=True)
    message = fields.String()


class ProblemsSchema(Schema):
    """The problems of a process definition (empty when it can be deployed)."""

    problems = fields.List(fields.Nested(ProblemSchema))


class InvalidProcessSchema(ProblemsSchema):
    """A 422 answer to an upload: the usual error and message, and the problems."""

    error = fields.String(metadata={"example": "invalid_process"})
    message = fields.String()


class DeployedSchema(Schema):
    """The version an upload produced (201), or the existing one with the same content (200)."""

    key = fields.String()
    version = fields.Integer()
    hash = fields.String()


class ElementChangeSchema(Schema):
    """An element added, removed or changed; ``fields`` names what changed."""

    id = fields.String()
    type = fields.String()
    name = fields.String(allow_none=True)
    # not named ``fields``: that is the Schema's own attribute
    changed_fields = fields.List(fields.String(), attribute="fields", data_key="fields")


class ChangesSchema(Schema):
    """What changed against the previous version."""

    added = fields.List(fields.Nested(ElementChangeSchema))
    removed = fields.List(fields.Nested(ElementChangeSchema))
    changed = fields.List(fields.Nested(ElementChangeSchema))


class VersionSchema(Schema):
    """A deployed version: who, when, what changed, how many requests still run on it."""

    version = fields.Integer()
    hash = fields.String()
    deployed_by = fields.String(allow_none=True)
    deployed_at = Timestamp()
    running = fields.Integer()
    latest = fields.Boolean()
    changes = fields.Nested(ChangesSchema)


class MigrationRequestSchema(RequestSchema):
    """Which requests move to which version (dry run: every running request by default)."""

    to_version = integer(1, 1_000_000, required=True)
    instance_ids = fields.List(fields.String(validate=validate.Length(max=36)),
                               validate=validate.Length(max=500))


class MigrationChangeSchema(ElementChangeSchema):
    """An element the move adds, removes or changes."""

    change = fields.String(metadata={"enum": ["added", "removed", "changed"]})


class DeadlineChangeSchema(Schema):
    """A step under way whose time standard changed: its deadline moves."""

    id = fields.String(metadata={"description": "element id of the step"})
    name = fields.String(allow_none=True)
    before = Timestamp()
    after = Timestamp()


class MigrationCheckSchema(Schema):
    """Whether one request can move, from where, and why not."""

    id = fields.String()
    topic = fields.String()
    from_version = fields.Integer()
    current = fields.List(fields.String(),
                          metadata={"description": "element ids of its current steps"})
    current_names = fields.List(fields.String(), metadata={"description": "their names"})
    movable = fields.Boolean()
    reason = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(MigrationChangeSchema),
                          metadata={"description": "the changes the request can still reach"})
    deadlines = fields.List(fields.Nested(DeadlineChangeSchema),
                            metadata={"description": "deadlines of steps under way that move"})


class DryRunSchema(Schema):
    """A migration dry run: nothing is stored."""

    instances = fields.List(fields.Nested(MigrationCheckSchema))


class RefusalSchema(Schema):
    """A request that did not move."""

    id = fields.String()
    reason = fields.String()


class MigrationResultSchema(Schema):
    """The requests moved and those refused."""

    migrated = fields.List(fields.String())
    refused = fields.List(fields.Nested(RefusalSchema))
