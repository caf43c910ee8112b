"""Field types shared by the schemas; their error messages are message codes
(see ``api.messages``) translated when the answer is made."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine import WITA

UTC = timezone.utc
BASE_CODES = {"required": "required", "null": "null"}


class RequestSchema(Schema):
    """A request body or query string: unknown fields are errors."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": "unknown", "type": "body_object"}


def no_nul(value: str) -> None:
    """Refuse U+0000, which PostgreSQL cannot store or compare."""
    if "\x00" in value:
        raise ValidationError("nul")


def text(max_length: int, **options) -> fields.String:
    """A non-empty string of at most ``max_length`` characters."""
    return fields.String(validate=[validate.Length(min=1, error="empty"),
                                   validate.Length(max=max_length, error="too_long|{max}"), no_nul],
                         error_messages={**BASE_CODES, "invalid": "text"}, **options)


def integer(low: int, high: int, **options) -> fields.Integer:
    """A whole number within ``[low, high]``."""
    return fields.Integer(strict=False,
                          validate=validate.Range(low, high, error="range|{min}|{max}"),
                          error_messages={**BASE_CODES, "invalid": "integer",
                                          "too_large": "integer"},
                          **options)


def form_data(**options) -> fields.Dict:
    """A form's data: a JSON object, checked against its form by the engine."""
    return fields.Dict(error_messages={**BASE_CODES, "invalid": "object"}, **options)


class Timestamp(fields.DateTime):
    """An aware time written as ISO 8601 with its offset (naive values are UTC)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


class Moment(fields.String):
    """A query bound: a date (whole day in WITA) or a date-time with an offset."""

    def __init__(self, *, end_of_day: bool = False, **options):
        super().__init__(error_messages={**BASE_CODES, "invalid": "moment"}, **options)
        self.end_of_day = end_of_day

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return self._day_bound(raw)
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise ValidationError("moment") from None
        if moment.tzinfo is None or not re.match(r"\d{4}-\d{2}-\d{2}T", raw):
            raise ValidationError("moment")
        return moment

    def _day_bound(self, raw: str) -> datetime:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise ValidationError("moment") from None
        start = datetime.combine(day, time(0), tzinfo=WITA)
        return start + timedelta(days=1, microseconds=-1) if self.end_of_day else start
