"""Low findings of issue 18 on the pages: a CR/LF in ``next`` and JSON nested
100,000 deep are answered as bad input, never a 500."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.api.accounts import PASSWORD
from tests.web.test_web_modeler import KEY, PAGE, SOP

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("target", ["/permohonan\r\nSet-Cookie: x=1", "/permohonan\n", "/\x00", "/\\evil.example"])
def test_a_control_character_in_next_never_splits_the_answer(pages, target):
    browser = pages(None)
    browser.get("/masuk")
    response = browser.client.post("/masuk", data={"username": "kadis", "password": PASSWORD,
                                                   "next": target, "csrf_token": browser.token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/kotak-masuk")
    assert "Set-Cookie: x=1" not in str(response.headers)


def test_the_language_switch_refuses_a_control_character_too(pages):
    browser = pages("kadis")
    browser.get("/kotak-masuk")
    response = browser.client.post("/bahasa", data={"lang": "en", "next": "/a\r\nb", "csrf_token": browser.token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/kotak-masuk")


def _send_raw(browser, forms_text: str):
    browser.get("/kotak-masuk")
    fields = MultiDict({"bpmn": FileStorage(io.BytesIO(SOP.encode()), f"{KEY}.bpmn"), "forms": forms_text})
    boundary, body = encode_multipart(fields)
    return browser.client.post(f"{PAGE}/validasi", data=body, headers={"X-CSRF-Token": browser.token},
                               content_type=f"multipart/form-data; boundary={boundary}")


def test_deep_json_in_the_modelers_forms_is_bad_input(pages):
    response = _send_raw(pages("analyst"), DEEP)
    assert 400 <= response.status_code < 500


def test_a_deep_form_file_is_a_problem_not_a_crash(pages):
    import json
    response = _send_raw(pages("analyst"), json.dumps({"meeting_report.schema.json": DEEP}))
    assert response.status_code < 500, response.get_data(as_text=True)[:300]


def test_the_tracking_link_comes_from_the_public_url_not_the_host_header(pages, clock):
    from tests.web.flow import PageSop
    sop = PageSop(pages, clock)
    sop.submit()
    agency = pages("opd.dinkes").client
    agency.set_cookie("session", agency.get_cookie("session").value, domain="evil.example")
    page = agency.get(f"/permohonan/{sop.instance_id}", base_url="http://evil.example/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'value="http://127.0.0.1:5000/lacak/' in body and "evil.example" not in body
