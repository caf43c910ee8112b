"""Schemas of notifications and the working calendar."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.resources.schemas.fields import BASE_CODES, RequestSchema, Timestamp, integer, text


class NotificationSchema(Schema):
    """A reminder or escalation for the caller."""

    id = fields.Integer()
    instance_id = fields.String(allow_none=True)
    task_id = fields.String(allow_none=True)
    kind = fields.String()
    message = fields.String()
    created_at = Timestamp()
    read_at = Timestamp(allow_none=True)
    topic = fields.String(allow_none=True, metadata={"description": "The request's topic"})


class NotificationQuerySchema(RequestSchema):
    """``?unread=true`` lists only unread notifications."""

    unread = fields.Boolean(load_default=False, error_messages={**BASE_CODES, "invalid": "boolean"})


class NotificationsMarkedSchema(Schema):
    """How many notifications were marked read."""

    marked = fields.Integer()


class ClosedDaySchema(Schema):
    """A closed day of the working calendar."""

    date = fields.Date()
    name = fields.String()
    kind = fields.String()
    provisional = fields.Boolean()
    closed = fields.Boolean()


class CalendarQuerySchema(RequestSchema):
    """``?year=`` (default: this year)."""

    year = integer(2000, 2100, load_default=None)


class ClosedDayRequestSchema(RequestSchema):
    """Close the office on a day."""

    name = text(200, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(
        ("libur_nasional", "cuti_bersama", "lainnya"), error="choice"),
        error_messages={**BASE_CODES, "invalid": "text"})
