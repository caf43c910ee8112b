"""The fast check of form data (``engine.definitions.fast_check``) says yes exactly when the
jsonschema package's validator does: on every shipped form, on data drawn around its fields,
and where Rust's regular expressions read a pattern apart from Python's."""
import base64
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from jsonschema import Draft202012Validator

from benchmarks.fixtures import ANSWERS, request_at
from engine.definitions.fast_check import fast_check
from engine.definitions.forms import FormDef, validate

FORMS = sorted(Path(__file__).resolve().parents[2].joinpath("forms").glob("*.schema.json"))
PDF = "data:application/pdf;base64," + base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()
# values that are valid for some field and invalid for others, and edges of both
AROUND = [None, True, False, 0, 1, -1, 1.0, 1.5, 2 ** 64 + 1, float("nan"), "", " ", "x", "abc\n", "\u0663",
          "2026-12-01", "2026-02-30", "2026-12-01T09:00:00+08:00", "2026-12-01T09:00:00", "2026-12-01 09:00",
          "kabid@tarakankota.go.id", "kabid@", "https://zoom.us/j/98765432109", "http://x", "zoom.us/j/1",
          "0812 3456 7890", "+62 (551) 21-000", "081234567890123456789012", "ABC*_.-@1", "abc def",
          PDF, "data:application/pdf;base64,@@", "data:text/plain;base64,eA==", [], ["a"], ["a", "a"],
          {}, {"a": 1}, "a" * 201]


def _form(path: Path) -> FormDef:
    return FormDef(path.name.removesuffix(".schema.json"), json.loads(path.read_text()), {})


GUESS_BY_FORMAT = {"date": "2026-12-01", "date-time": "2026-12-01T09:00:00+08:00", "email": "kabid@tarakankota.go.id",
                   "uri": "https://zoom.us/j/98765432109", "data-url": PDF}
GUESS_BY_TYPE = {"string": "Rapat koordinasi", "boolean": True, "integer": 60, "number": 1}


def _likely(schema: dict) -> list:
    """Values a field's own schema suggests: valid ones, mostly."""
    named = [*schema.get("enum", []), *schema.get("examples", [])]
    named += [schema[key] for key in ("const", "default", "minimum", "maximum") if key in schema]
    if "format" in schema:
        named.append(GUESS_BY_FORMAT.get(schema["format"], "x"))
    elif schema.get("type") == "array":
        options = schema.get("items", {}).get("enum", [])
        named += [options[:1], options[:2]]
    else:
        named.append(GUESS_BY_TYPE.get(schema.get("type"), "x"))
    return named


def _data(schema: dict):
    """Dictionaries of the form's fields (and one it does not have), each value three times
    in four one its schema suggests and else one from ``AROUND``."""
    properties = schema.get("properties", {})
    values = {name: st.one_of(*[st.sampled_from(_likely(sub))] * 3, st.sampled_from(AROUND))
              for name, sub in properties.items()}
    required = {name: values[name] for name in schema.get("required", []) if name in values}
    optional = {name: value for name, value in values.items() if name not in required}
    return st.fixed_dictionaries(required, optional=optional | {"tambahan": st.sampled_from(AROUND)})


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_every_shipped_form_is_checked_fast(path):
    assert _form(path).accepts is not None


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_the_fast_check_says_yes_exactly_when_jsonschema_does(path):
    form = _form(path)
    seen = {True: 0, False: 0}

    @settings(max_examples=250, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(_data(form.schema))
    def same(data):
        valid = form.validator.is_valid(data)
        assert form.accepts(data) == valid, data
        seen[valid] += 1

    same()
    assert seen[True] > 0 and seen[False] > 0  # both answers were put to the test


def test_the_answers_of_a_fulfilled_request_are_accepted_fast():
    forms = {path.name.removesuffix(".schema.json"): _form(path) for path in FORMS}
    answered = {"request": request_at(datetime(2026, 12, 9, 2, 0, tzinfo=timezone.utc)),
                "meeting_details": ANSWERS["meeting"],
                **{key: value for key, value in ANSWERS.items() if key in forms}}
    assert len(answered) >= 9
    for key, data in answered.items():
        assert forms[key].validator.is_valid(data), key
        assert forms[key].accepts(data), key
        assert validate(forms[key], data) == {}


@pytest.mark.parametrize("pattern, value", [("^abc$", "abc\n"), ("^\\s$", "\x1c"), ("^\\d$", "\u0663")])
def test_a_pattern_means_what_pythons_re_makes_of_it(pattern, value):
    """Rust's regex refuses these where Python's ``re.search`` (jsonschema's) accepts them."""
    schema = {"type": "object", "properties": {"f": {"type": "string", "pattern": pattern, "maxLength": 9}},
              "allOf": [{"required": ["f"]}]}
    accepts = fast_check(schema, {})
    assert Draft202012Validator(schema).is_valid({"f": value})
    assert accepts({"f": value}) and not accepts({"f": value + "!"}) and not accepts({"f": 5})


@pytest.mark.parametrize("schema", [
    {"type": "number", "multipleOf": 0.01},  # float arithmetic that the two may do apart
    {"$defs": {"a": {"type": "string"}}, "$ref": "#/$defs/a"},
    {"properties": {"f": {"dependentRequired": {"f": ["g"]}}}},
    {"allOf": [{"pattern": "(?<=a)b"}, {"pattern": "("}]},  # no regular expression for Python
])
def test_a_schema_with_a_keyword_not_applied_alike_is_left_to_jsonschema(schema):
    assert fast_check(schema, {}) is None


def test_a_format_check_that_raises_is_a_no_and_left_to_jsonschema():
    def broken(_value):
        raise RuntimeError("the check failed")
    accepts = fast_check({"type": "string", "format": "tanggal"}, {"tanggal": broken})
    assert accepts("2026-12-01") is False
