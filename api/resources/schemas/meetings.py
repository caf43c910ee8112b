"""Bodies and answers of the meeting endpoints: withdrawal, moving a meeting,
host accounts."""
from __future__ import annotations

from marshmallow import Schema, fields

from api.resources.schemas.fields import BASE_CODES, RequestSchema, integer, text


def boolean(**options) -> fields.Boolean:
    """``true`` or ``false``."""
    return fields.Boolean(error_messages={**BASE_CODES, "invalid": "boolean"}, **options)


class WithdrawSchema(RequestSchema):
    """Why the agency withdraws its request."""

    reason = text(500, required=True, metadata={"example": "Kegiatan dibatalkan pimpinan"})


class RescheduleSchema(RequestSchema):
    """The meeting's new start, and why it moves."""

    start_at = text(40, required=True, metadata={
        "description": "ISO 8601 date-time with offset", "example": "2026-12-10T13:00:00+08:00"})
    reason = text(500, metadata={"example": "Narasumber berhalangan pada jam semula"})


class HostAccountUpdateSchema(RequestSchema):
    """Fields of a host account to change."""

    name = text(200, metadata={"example": "Zoom Diskominfo 3"})
    email = text(254, allow_none=True, metadata={
        "description": "The licensed Zoom user's e-mail", "example": "zoom3@tarakankota.go.id"})
    capacity = integer(1, 20, metadata={
        "description": "Meetings at once: 1 on Zoom Pro, 2 on Business and up"})
    max_participants = integer(1, 1000, metadata={
        "description": "The licence's meeting size: 100, 300, 500 or 1000"})
    active = boolean()


class HostAccountCreateSchema(HostAccountUpdateSchema):
    """A new host account."""

    id = text(40, required=True, metadata={"example": "zoom-3"})


class HostAccountSchema(Schema):
    """A licensed Zoom user we own."""

    id = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    capacity = fields.Integer()
    max_participants = fields.Integer()
    active = fields.Boolean()
