"""Task forms: JSON Schema (draft 2020-12) + uiSchema, defaults and
field-level validation messages in Indonesian and English."""
from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from jsonschema import Draft202012Validator, FormatChecker

from engine.accounts.email_address import is_email
from engine.definitions.fast_check import fast_check

FORBIDDEN_KEYS = {"typename"}  # SpiffWorkflow's serializer mistakes dicts with it for objects
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TEXT = 1000  # the cap of a string field whose schema names no maxLength


@dataclass(frozen=True)
class FormDef:
    """A form: its key, JSON Schema and uiSchema (both plain dicts)."""

    key: str
    schema: dict
    ui_schema: dict

    @functools.cached_property
    def validator(self) -> Draft202012Validator:
        """The schema's validator, made once per form (making one cost a fifth of a check)."""
        return Draft202012Validator(self.schema, format_checker=_checker)

    @functools.cached_property
    def accepts(self):
        """A fast yes for data ``validator`` finds valid (``fast_check``), or None when the
        schema is checked by ``validator`` alone."""
        return fast_check(self.schema, _FORMAT_CHECKS)

    @property
    def prefill_from(self) -> str | None:
        """Task-data variable whose current value fills omitted fields."""
        return self.schema.get("x-vicon-prefill")


def load_form(key: str, files: dict[str, bytes]) -> FormDef:
    """Build a FormDef from ``<key>.schema.json`` and optional ``<key>.uischema.json``
    (ValueError when a file is nested too deeply to read)."""
    try:
        text = files[f"{key}.schema.json"]
        schema = json.loads(text)
        ui = files.get(f"{key}.uischema.json")
        _check_schema(text)
        return FormDef(key, schema, json.loads(ui) if ui else {})
    except RecursionError:
        raise ValueError(f"the form {key} is nested too deeply") from None


@functools.lru_cache(maxsize=512)
def _check_schema(text: bytes | str) -> None:
    """Check a schema against the 2020-12 metaschema once per text: the check costs
    about 10 ms and every engine start and version load repeats it for the same files
    (a refused schema raises each time: exceptions are not cached)."""
    Draft202012Validator.check_schema(json.loads(text))


def fill_defaults(form: FormDef, data: dict, current: dict | None = None) -> dict:
    """Return ``data`` with omitted top-level fields taken from ``current``
    (for prefilled forms) and then from the schema's defaults."""
    filled = dict(data)
    if current and form.prefill_from:
        for name in form.schema.get("properties", {}):
            if name not in filled and name in current:
                filled[name] = current[name]
    for name, prop in form.schema.get("properties", {}).items():
        if name not in filled and "default" in prop:
            filled[name] = prop["default"]
    return filled


_checker = FormatChecker(formats=())


@_checker.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None or not re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        raise ValueError("offset")
    return True


@_checker.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    if isinstance(value, str):
        date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else int("x")
    return True


@_checker.checks("email")
def _is_email(value) -> bool:
    return not isinstance(value, str) or is_email(value)


@_checker.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value))


@_checker.checks("data-url", raises=ValueError)
def _is_pdf_data_url(value) -> bool:
    if not isinstance(value, str):
        return True
    prefix = "data:application/pdf;base64,"
    if not value.startswith(prefix):
        raise ValueError("type")
    try:
        content = base64.b64decode(value[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("encoding") from None
    if len(content) > MAX_UPLOAD_BYTES or not content.startswith(b"%PDF-"):
        raise ValueError("content")
    return True


def _format_check(check, raises) -> Callable[[object], bool]:
    """``check`` (a format of ``_checker``) as a function saying whether a value is valid."""
    def valid(value) -> bool:
        try:
            return bool(check(value))
        except raises:
            return False
    return valid


_FORMAT_CHECKS = {name: _format_check(check, raises) for name, (check, raises) in _checker.checkers.items()}

_MESSAGES = {
    "required": ("Wajib diisi.", "This field is required."),
    "type": ("Jenis nilai tidak sesuai ({expected}).", "Wrong type of value ({expected})."),
    "minLength": ("Minimal {limit} karakter.", "At least {limit} characters."),
    "maxLength": ("Maksimal {limit} karakter.", "At most {limit} characters."),
    "minimum": ("Minimal {limit}.", "Must be at least {limit}."),
    "maximum": ("Maksimal {limit}.", "Must be at most {limit}."),
    "enum": ("Pilih salah satu dari: {options}.", "Choose one of: {options}."),
    "const": ("Harus dicentang/dipilih.", "Must be confirmed."),
    "pattern": ("Format tidak sesuai.", "Invalid format."),
    "pattern_example": ("Format tidak sesuai; contoh: {example}", "Invalid format; for example: {example}"),
    "format": ("Format tidak sesuai ({format}).", "Invalid format ({format})."),
    "uniqueItems": ("Pilihan tidak boleh berulang.", "Choices must not repeat."),
    "maxItems": ("Terlalu banyak pilihan (maks. {limit}).", "Too many items (at most {limit})."),
    "minItems": ("Terlalu sedikit pilihan (min. {limit}).", "Too few items (at least {limit})."),
    "additionalProperties": ("Isian tidak dikenal.", "Unknown field."),
    "forbidden": ("Nama isian ini tidak diizinkan.", "This field name is not allowed."),
}
_FORMAT_NAMES = {
    "date-time": ("tanggal dan jam dengan zona waktu, mis. 2026-12-01T09:00:00+08:00",
                  "date and time with offset, e.g. 2026-12-01T09:00:00+08:00"),
    "date": ("tanggal TTTT-BB-HH", "date YYYY-MM-DD"),
    "email": ("alamat e-mail", "e-mail address"),
    "uri": ("tautan https://", "https:// link"),
    "data-url": ("berkas PDF maks. 5 MB", "PDF file of at most 5 MB"),
}
_TYPE_NAMES = {"string": ("teks", "text"), "integer": ("bilangan bulat", "whole number"),
               "number": ("angka", "number"), "boolean": ("ya/tidak", "yes/no"),
               "array": ("daftar", "list"), "object": ("objek", "object")}


def message(kind: str, lang: str = "id", **params) -> str:
    """A validation message of ``kind`` in ``lang`` (``id`` or ``en``)."""
    idx = 0 if lang == "id" else 1
    return _MESSAGES[kind][idx].format(**params)


def _describe(error, lang: str) -> str:
    idx = 0 if lang == "id" else 1
    kind = error.validator
    if kind == "type":
        expected = error.validator_value
        names = [(_TYPE_NAMES.get(t, (t, t))[idx]) for t in ([expected] if isinstance(expected, str) else expected)]
        return message("type", lang, expected="/".join(names))
    if kind == "format":
        return message("format", lang, format=_FORMAT_NAMES.get(error.validator_value, (error.validator_value,) * 2)[idx])
    if kind == "enum":
        return message("enum", lang, options=", ".join(map(str, error.validator_value)))
    if kind == "pattern" and isinstance(error.schema, dict) and error.schema.get("examples"):
        return message("pattern_example", lang, example=error.schema["examples"][0])
    if kind in _MESSAGES:
        return message(kind, lang, limit=error.validator_value)
    return message("pattern", lang)


def _field_of(error) -> str:
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        path = list(error.absolute_path) + missing[:1]
    elif error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        path = list(error.absolute_path) + extra[:1]
    else:
        path = list(error.absolute_path)
    return ".".join(str(p) for p in path) or "_form"


def _forbidden_keys(value, path=()) -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FORBIDDEN_KEYS or not isinstance(key, str):
                found.append(".".join(map(str, path + (key,))))
            found.extend(_forbidden_keys(item, path + (key,)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(_forbidden_keys(item, path + (i,)))
    return found


def _cap_strings(schema: dict, value, path: tuple, over: dict):
    """``value`` with every string cut to its field's ``maxLength`` (``MAX_TEXT`` when it
    names none), recording the fields that were too long in ``over``: so no pattern or
    format check ever runs on more text than the field allows."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, str):
        limit = schema.get("maxLength", MAX_TEXT)
        if len(value) > limit:
            over[".".join(map(str, path)) or "_form"] = limit
            return value[:limit]
        return value
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: _cap_strings(props.get(k, {}), v, path + (k,), over) for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items", {})
        return [_cap_strings(items, v, path + (i,), over) for i, v in enumerate(value)]
    return value


def validate(form: FormDef, data, lang: str = "id") -> dict[str, list[str]]:
    """Field-level errors of ``data`` against ``form`` (empty when valid)."""
    if not isinstance(data, dict):
        return {"_form": [message("type", lang, expected=_TYPE_NAMES["object"][0 if lang == "id" else 1])]}
    errors: dict[str, list[str]] = {}
    for key in _forbidden_keys(data):
        errors.setdefault(key, []).append(message("forbidden", lang))
    over: dict[str, int] = {}
    data = _cap_strings(form.schema, data, (), over)
    for field, limit in over.items():
        errors.setdefault(field, []).append(message("maxLength", lang, limit=limit))
    if form.accepts is not None and form.accepts(data):
        return errors
    for error in form.validator.iter_errors(data):
        if error.validator in ("if", "allOf", "then") or _field_of(error) in over:
            continue
        msg = _describe(error, lang)
        bucket = errors.setdefault(_field_of(error), [])
        if msg not in bucket:
            bucket.append(msg)
    return errors
