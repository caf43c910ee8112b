"""Budgets for every input: each start-form and task-form field at its cap is
accepted, at 100 times its cap it is a field error (the length, checked before
any pattern or format); JSON nested too deep is a 400 with a clear message."""
from __future__ import annotations

import base64
import json
import pathlib

import pytest

from engine.definitions.forms import MAX_TEXT, MAX_UPLOAD_BYTES, load_form, validate
from tests.api.accounts import PROCESS
from tests.api.form_data import build
from tests.api.sop_http import HttpSop

ROOT = pathlib.Path(__file__).resolve().parents[2]
FORM_KEYS = sorted(p.name[:-len(".schema.json")] for p in (ROOT / "forms").glob("*.schema.json"))
START = f"/process-definitions/{PROCESS}/instances"


def _form(key):
    files = {p.name: p.read_bytes() for p in (ROOT / "forms").glob(f"{key}.*json")}
    return load_form(key, files)


def at_cap(prop: dict) -> str:
    """A valid value exactly as long as the field allows."""
    cap = prop["maxLength"]
    if prop.get("format") == "email":
        local, domain = "a" * 64, "b" * 63 + "." + "c" * 63 + "."
        return local + "@" + domain + "d" * (cap - len(local) - 1 - len(domain))
    if prop.get("format") == "uri":
        return "https://zoom.us/j/" + "1" * (cap - len("https://zoom.us/j/"))
    if prop.get("pattern", "").startswith("^\\+?[0-9"):  # a phone number
        return "+" + "1" * (cap - 1)
    return "a" * cap


def string_fields(schema: dict):
    """(name, property) of each capped text field of a form (top level)."""
    for name, prop in schema.get("properties", {}).items():
        if prop.get("type") == "string" and "maxLength" in prop and prop.get("format") != "data-url":
            yield name, prop


CASES = [(key, name) for key in FORM_KEYS for name, _ in string_fields(_form(key).schema)]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("key, name", CASES, ids=[f"{k}.{n}" for k, n in CASES])
def test_each_task_form_field_at_and_far_over_its_cap(clock, key, name):
    form = _form(key)
    prop = form.schema["properties"][name]
    base = build(form.schema, clock)
    assert validate(form, dict(base, **{name: at_cap(prop)})) == {}
    errors = validate(form, dict(base, **{name: at_cap(prop) * 100}))
    assert errors == {name: [f"Maksimal {prop['maxLength']} karakter."]}


def test_a_field_without_a_named_cap_has_the_default_one(clock):
    form = _form("meeting_details")
    errors = validate(form, dict(build(form.schema, clock), meeting_id="1" * MAX_TEXT * 100))
    assert errors == {"meeting_id": [f"Maksimal {MAX_TEXT} karakter."]}


def test_the_letter_upload_at_its_cap_is_accepted_and_over_it_refused(clock):
    form = _form("request")
    pdf = b"%PDF-" + b"0" * (MAX_UPLOAD_BYTES - 5)
    url = "data:application/pdf;base64," + base64.b64encode(pdf).decode()
    assert validate(form, dict(build(form.schema, clock), letter_file=url)) == {}
    over = "data:application/pdf;base64," + base64.b64encode(pdf + b"0" * 4).decode()
    assert "letter_file" in validate(form, dict(build(form.schema, clock), letter_file=over))


@pytest.fixture
def sop(api, clock):
    return HttpSop(api, clock)


@pytest.mark.timeout(120)
def test_the_start_form_over_http_at_and_far_over_each_cap(sop):
    schema = sop.start_form()
    fields = list(string_fields(schema))
    assert len(fields) >= 5
    far = {name: at_cap(prop) * 100 for name, prop in fields}
    response = sop.api.post(START, "opd.dinkes", json={"data": build(schema, sop.clock, far)})
    assert response.status_code == 422, response.json
    assert set(far) <= set(response.json["errors"])
    for name, prop in fields:
        assert response.json["errors"][name] == [f"Maksimal {prop['maxLength']} karakter."]
    capped = {name: at_cap(prop) for name, prop in fields}
    response = sop.api.post(START, "opd.dinkes", json={"data": build(schema, sop.clock, capped)})
    assert response.status_code == 201, response.json


@pytest.mark.timeout(120)
def test_a_task_form_over_http_far_over_its_cap(sop):
    sop.start()
    task = sop.ready()["T02_disposition_kadis"]
    detail = sop.api.get(f"/tasks/{task['id']}", "kadis").json
    data = build(detail["form"]["schema"], sop.clock, {"note": "n" * 100_000})
    response = sop.api.post(f"/tasks/{task['id']}/complete", "kadis", json={"data": data})
    assert response.status_code == 422
    assert response.json["errors"]["note"] == ["Maksimal 1000 karakter."]


@pytest.mark.parametrize("depth", [33, 100_000])
def test_json_nested_too_deep_is_a_400_with_a_message(api, depth):
    body = "[" * depth + "]" * depth
    response = api.post(START, "opd.dinkes", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["message"] == "Isi permintaan JSON bersarang terlalu dalam (paling banyak 32 tingkat)."


def test_json_at_the_depth_limit_is_read(api):
    nested = {"data": {"topic": [[[[]]]]}}
    for _ in range(26):
        nested = {"data": nested}
    response = api.post(START, "opd.dinkes", data=json.dumps(nested), headers={"Content-Type": "application/json"})
    assert response.status_code == 422  # read and refused by the schema, not by its depth
