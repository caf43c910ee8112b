"""What clients send: bodies and query strings."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marshmallow import ValidationError, validates_schema

from api.resources.schemas.fields import Moment, RequestSchema, form_data, integer, text


class TokenRequestSchema(RequestSchema):
    """Credentials exchanged for a bearer token."""

    username = text(150, required=True, metadata={"example": "opd.dinkes"})
    password = text(1024, required=True, metadata={"example": "vicon-demo"})


class FormDataSchema(RequestSchema):
    """A form submission: ``data`` is checked against the form's JSON Schema."""

    data = form_data(required=True, metadata={
        "description": "The form's fields; omitted fields take the form's defaults."})
    passphrase = text(200, load_only=True, metadata={
        "description": "The signer's BSrE passphrase, when the Kadis signs the letter (T09, decision "
                       "approve) and VICON_SIGNATURE_PROVIDER is bsre; used for that signature only, never "
                       "stored. Elsewhere ignored."})

    @validates_schema
    def _no_nul(self, body, **_kwargs):
        # PostgreSQL cannot store U+0000 in text or JSON: refuse it as input, not as a 500.
        # Fields are named as the engine names form fields (``topic``, not ``data.topic``).
        found = _nul_paths(body.get("data"), "")
        if found:
            raise ValidationError({path: ["nul"] for path in found})


class TaskFilterSchema(RequestSchema):
    """``?step=<name>`` keeps the tasks of one step (a task's ``name``)."""

    step = text(200, metadata={"description": "A step's element id, as in a task's name"})


class InstanceQuerySchema(RequestSchema):
    """Filters and paging of the instance list."""

    status = text(32, metadata={"example": "running"})
    outcome = text(32, metadata={"example": "fulfilled"})
    agency = text(64, metadata={"description": "Agency code, e.g. dinkes"})
    q = text(200, metadata={"description": "Words in the topic or the letter number"})
    date_from = Moment(data_key="from", metadata={
        "description": "Meeting start from: a date (WITA) or an ISO 8601 date-time with offset"})
    date_to = Moment(data_key="to", end_of_day=True, metadata={
        "description": "Meeting start up to: a date (whole day, WITA) or a date-time with offset"})
    page = integer(1, 100_000, load_default=1)
    per_page = integer(1, 100, load_default=20)

    @validates_schema
    def _ordered(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise ValidationError("before_from", field_name="to")


def _nul_paths(value, path: str) -> list[str]:
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    items: Iterable[tuple[Any, Any]] = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    found = []
    for key, item in items:
        here = f"{path}.{key}" if path else str(key)
        found.extend([here] if "\x00" in str(key) else _nul_paths(item, here))
    return found
