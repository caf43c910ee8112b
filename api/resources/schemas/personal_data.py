"""Bodies and answers of the personal-data endpoints (export and erasure, admin only)."""
from __future__ import annotations

from marshmallow import Schema, fields

from api.resources.schemas.fields import RequestSchema, Timestamp, text


class PersonQuerySchema(RequestSchema):
    """Whose data: an e-mail address or a phone number."""

    q = text(254, required=True, metadata={
        "description": "The contact's e-mail address or phone number (any spelling of the digits)",
        "example": "budi@example.go.id"})


class PersonEventSchema(Schema):
    """An audit event holding the person's data."""

    seq = fields.Integer()
    at = Timestamp()
    type = fields.String()
    actor = fields.String(allow_none=True)
    task = fields.String(allow_none=True)
    data = fields.Dict()


class PersonRequestSchema(Schema):
    """A request holding the person's data."""

    id = fields.String()
    agency = fields.String(allow_none=True)
    topic = fields.String()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    meeting_start = fields.String(allow_none=True)
    created_at = fields.String(allow_none=True)
    contact = fields.Dict(metadata={"description": "contact_name, contact_phone, contact_email as held now"})
    events = fields.List(fields.Nested(PersonEventSchema))


class PersonAccountSchema(Schema):
    """An account that is the person's (by e-mail or NIK), with its signer's NIK."""

    username = fields.String()
    full_name = fields.String()
    position = fields.String(allow_none=True)
    nip = fields.String(allow_none=True)
    nik = fields.String(allow_none=True, metadata={"description": "The BSrE signer's NIK; erased on request"})
    email = fields.String(allow_none=True)


class PersonExportSchema(Schema):
    """Every request and audit event holding one person's data, and the person's accounts."""

    query = fields.String()
    requests = fields.List(fields.Nested(PersonRequestSchema))
    accounts = fields.List(fields.Nested(PersonAccountSchema))


class PersonErasedSchema(Schema):
    """The requests whose contact data was erased."""

    erased = fields.List(fields.String(), metadata={"description": "Request ids"})
