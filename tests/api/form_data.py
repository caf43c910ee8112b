"""Valid form data built from a form's JSON Schema, as a client would: every
field with a ``default`` takes it, every other required field gets a valid
value for its type and format."""
from __future__ import annotations

import re
from datetime import timedelta, timezone

WITA = timezone(timedelta(hours=8))
# Tried in order for strings with a pattern; the first that fits is used.
STRING_CANDIDATES = ("Rapat koordinasi layanan", "123 4567 8901", "abc123", "+62 812 3456 7890",
                     "400.7/123/DINKES/2026")


def build(schema: dict, clock, overrides: dict | None = None) -> dict:
    """Data for ``schema``: defaults and required fields, then ``overrides``."""
    data = {}
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        if "default" in prop:
            data[name] = prop["default"]
        elif name in required:
            data[name] = value(prop, clock)
    data.update(overrides or {})
    return data


def value(prop: dict, clock):
    """A valid value of one property."""
    if "const" in prop:
        return prop["const"]
    if "enum" in prop:
        return prop["enum"][0]
    kind = prop.get("type")
    if kind in ("integer", "number"):
        low, high = prop.get("minimum", 0), prop.get("maximum", 10_000)
        return min(max(low, 30), high)
    if kind == "boolean":
        return True
    if kind == "array":
        return [value(prop.get("items", {}), clock) for _ in range(prop.get("minItems", 0))]
    if kind == "object":
        return build(prop, clock)
    return string(prop, clock)


def string(prop: dict, clock) -> str:
    """A valid string for the property's format, pattern and length."""
    fmt = prop.get("format")
    if fmt == "date-time":  # two days ahead, 10:00 WITA: in the future, in office hours
        day = (clock.now() + timedelta(days=2)).astimezone(WITA)
        return day.replace(hour=10, minute=0, second=0, microsecond=0).isoformat()
    if fmt == "date":
        return clock.now().astimezone(WITA).date().isoformat()
    if fmt == "email":
        return "narahubung@example.go.id"
    if fmt == "uri":
        return "https://zoom.us/j/12345678901"
    for candidate in STRING_CANDIDATES:
        if _fits(candidate, prop):
            return candidate
    raise AssertionError(f"no candidate value fits {prop}")


def _fits(candidate: str, prop: dict) -> bool:
    if "pattern" in prop and not re.search(prop["pattern"], candidate):
        return False
    return prop.get("minLength", 0) <= len(candidate) <= prop.get("maxLength", 10_000)
