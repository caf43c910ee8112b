"""A fast yes for valid form data: jsonschema-rs (compiled) checking a form's schema,
where it means what the jsonschema package's check of it means.

Every command checks its form, and the jsonschema package's check was a twentieth of a
command's time. jsonschema-rs answers whether data is valid in a tenth of that; the field
errors of invalid data stay the jsonschema package's (``forms.validate`` asks it only then).
So that a yes here is never a no there, a schema is checked here only when every keyword
in it is one both apply alike, its ``format`` checks are ours (the same Python functions),
and its ``pattern``s are Python's own regular expressions (each turned into a format of
its own: Python's ``re`` and Rust's regex read some classes and anchors apart).
"""
from __future__ import annotations

import re
from collections.abc import Callable

import jsonschema_rs

# keywords jsonschema-rs applies as the jsonschema package does (draft 2020-12), and
# annotations neither applies; a schema using any other is not checked here
_APPLIED = frozenset({
    "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems",
    "maxItems", "uniqueItems", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "format", "pattern", "allOf", "anyOf", "oneOf", "not", "if", "then", "else"})
_ANNOTATIONS = frozenset({"$schema", "$comment", "title", "description", "default", "examples", "deprecated",
                          "readOnly", "writeOnly", "contentMediaType", "contentEncoding"})
_ONE_SCHEMA = ("additionalProperties", "items", "not", "if", "then", "else")  # keywords holding a subschema
_SCHEMAS = ("allOf", "anyOf", "oneOf")  # keywords holding a list of subschemas
_PATTERN_FORMAT = "vicon-pattern:"


def fast_check(schema: dict, formats: dict[str, Callable[[object], bool]]) -> Callable[[object], bool] | None:
    """A function telling whether data is valid against ``schema`` as the jsonschema package
    would (``formats``: each format's check, True when valid); None when ``schema`` uses a
    keyword the two may apply apart, or jsonschema-rs cannot read it. The function says
    False when unsure (a check that raised)."""
    patterns: dict[str, Callable[[object], bool]] = {}
    rewritten = _rewritten(schema, patterns)
    if rewritten is None:
        return None
    try:
        validator = jsonschema_rs.Draft202012Validator(rewritten, formats={**formats, **patterns},
                                                       validate_formats=True)
    except (jsonschema_rs.ValidationError, ValueError):
        return None

    def accepts(data) -> bool:
        try:
            return validator.is_valid(data)
        except Exception:  # noqa: BLE001 - a format check that raised, a value it cannot take: ask jsonschema
            return False
    return accepts


def _rewritten(schema, patterns: dict):
    """``schema`` with each ``pattern`` as a format checked by Python's ``re`` (added to
    ``patterns``); None when a keyword is not applied alike."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict):
        return None
    out: dict = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in _ANNOTATIONS:
            continue
        if key not in _APPLIED:
            return None
        if key == "properties":
            value = {name: _rewritten(sub, patterns) for name, sub in value.items()}
            if any(sub is None for sub in value.values()):
                return None
        elif key in _ONE_SCHEMA or key in _SCHEMAS:
            value = [_rewritten(sub, patterns) for sub in value] if key in _SCHEMAS else _rewritten(value, patterns)
            if value is None or (key in _SCHEMAS and any(sub is None for sub in value)):
                return None
        elif key == "pattern":
            name = _PATTERN_FORMAT + value
            try:
                patterns[name] = _searcher(value)
            except re.error:
                return None
            out["allOf"] = [*out.get("allOf", []), {"format": name}]
            continue
        if key == "allOf":
            value = [*out.get("allOf", []), *value]
        out[key] = value
    return out


def _searcher(pattern: str) -> Callable[[object], bool]:
    """The ``pattern`` keyword's check as the jsonschema package makes it (``re.search``)."""
    compiled = re.compile(pattern)
    return lambda value: not isinstance(value, str) or compiled.search(value) is not None
