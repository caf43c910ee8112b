"""Bodies and answers of the acting-official (Plt) and tracking-link endpoints."""
from __future__ import annotations

from marshmallow import Schema, fields

from api.resources.schemas.fields import RequestSchema, text

DAY = {"format": "date", "description": "A day in Tarakan (WITA), YYYY-MM-DD"}


class DelegationRequestSchema(RequestSchema):
    """Hand the caller's lane (Kadis or Kabid) to a deputy for a range of days, inclusive."""

    deputy = text(80, required=True, metadata={"description": "Username of another active "
                                                              "Diskominfo employee", "example": "subkoordinator"})
    starts_on = text(10, required=True, metadata={**DAY, "example": "2026-12-07"})
    ends_on = text(10, required=True, metadata={**DAY, "example": "2026-12-11"})


class DelegationSchema(Schema):
    """An official's lane handed to a deputy (Plt) for a range of days."""

    id = fields.Integer()
    official = fields.String()
    official_position = fields.String()
    deputy = fields.String()
    deputy_name = fields.String()
    lane = fields.String(metadata={"description": "Kadis or Kabid"})
    starts_on = fields.Date()
    ends_on = fields.Date()
    cancelled = fields.Boolean()
    current = fields.Boolean(metadata={"description": "In force today (WITA)"})


class TrackingLinkSchema(Schema):
    """A request's public tracking page: its address and token (no sign-in needed to open it)."""

    url = fields.String(metadata={"format": "uri"})
    token = fields.String()
