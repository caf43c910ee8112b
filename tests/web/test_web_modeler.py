"""The modeler page and its JSON endpoints: who may use them, validation with
element ids, drafts kept with their problems, deploys refused with problems and
accepted without, and a new request on the deployed version."""
from __future__ import annotations

import io
import json
import pathlib

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.web.flow import PageSop

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOP = (ROOT / "processes" / "zoom_meeting_request.bpmn").read_text("utf-8")
KEY = "zoom_meeting_request"
PAGE = f"/proses/{KEY}/modeler"
T06_FORM = '<spiffworkflow:property name="formJsonSchemaFilename" value="meeting_report.schema.json" />'
T05_OPERATOR = '<spiffworkflow:serviceTaskOperator id="meeting/create" resultVariable="meeting">'
SP05_STANDARD = '<spiffworkflow:property name="timeStandard" value="PT15M" />'
T06_NAME = 'id="T06_report_meeting" name="'


def broken() -> str:
    """The SOP with T06's form removed and T05 calling an unregistered operator."""
    assert T06_FORM in SOP and T05_OPERATOR in SOP
    return SOP.replace(T06_FORM, "").replace(T05_OPERATOR, T05_OPERATOR.replace("meeting/create", "meeting/explode"))


def improved() -> str:
    """The SOP with SP05's standard at 10 minutes and T06 renamed."""
    assert SP05_STANDARD in SOP and T06_NAME in SOP
    return SOP.replace(SP05_STANDARD, SP05_STANDARD.replace("PT15M", "PT10M")) \
        .replace(T06_NAME, T06_NAME + "Laporkan detail rapat ")


def send(browser, action: str, bpmn: str, forms: dict | None = None, token: bool = True):
    """POST a model as the page's script does (multipart, CSRF token in the header)."""
    browser.get("/kotak-masuk")  # the session's token (signing in made a new one)
    headers = {"X-CSRF-Token": browser.token} if token else {}
    fields = MultiDict({"bpmn": FileStorage(io.BytesIO(bpmn.encode()), f"{KEY}.bpmn"),
                        "forms": json.dumps(forms or {})})
    boundary, body = encode_multipart(fields)  # encoded here: no spooled file left open
    return browser.client.post(f"{PAGE}/{action}", data=body, headers=headers,
                               content_type=f"multipart/form-data; boundary={boundary}")


def versions(browser) -> list:
    return browser.client.get(f"{PAGE}/katalog").get_json()["versions"]


@pytest.mark.parametrize("username", ["analyst", "admin"])
def test_analysts_and_admins_open_the_modeler_from_the_nav(pages, username):
    browser = pages(username)
    inbox = browser.get("/kotak-masuk").get_data(as_text=True)
    assert 'href="/modeler"' in inbox and "Modeler proses" in inbox
    assert browser.get("/modeler").headers["Location"].endswith(PAGE)
    page = browser.get(PAGE).get_data(as_text=True)
    assert "bpmn-modeler.production.min.js" in page and "/static/modeler.js" in page
    assert f'href="/proses/{KEY}/versi"' in page and f'href="/proses/{KEY}/migrasi"' in page
    source = browser.client.get(f"{PAGE}/sumber").get_json()
    assert source["version"] == 1 and source["bpmn"] == SOP
    assert "meeting_report.schema.json" in source["forms"]
    catalogue = browser.client.get(f"{PAGE}/katalog").get_json()
    assert "meeting/create" in [o["name"] for o in catalogue["operators"]]
    assert "meeting_report.schema.json" in catalogue["form_files"]
    assert catalogue["lanes"] == ["OPD", "Kadis", "Kabid", "Subkoordinator", "Staf"]


@pytest.mark.parametrize("username", ["kadis", "kabid", "subkoordinator", "staf", "manager", "opd.dinkes"])
def test_other_roles_get_403_everywhere_and_no_link(pages, username):
    browser = pages(username)
    assert "Modeler proses" not in browser.get("/kotak-masuk").get_data(as_text=True)
    assert browser.get(PAGE).status_code == 403
    assert browser.get("/modeler").status_code == 403
    for path in ("sumber", "katalog", "draf"):
        assert browser.client.get(f"{PAGE}/{path}").status_code == 403, path
    for action in ("validasi", "draf", "terapkan"):
        response = send(browser, action, improved())
        assert response.status_code == 403 and response.is_json, action
    assert versions(pages("analyst")) == [1]
    assert pages("analyst").client.get(f"{PAGE}/draf").get_json()["drafts"] == []


def test_signed_out_visitors_are_sent_to_sign_in_and_the_script_gets_401(pages):
    visitor = pages(None)
    assert "/masuk" in visitor.get(PAGE).headers["Location"]
    assert visitor.client.get(f"{PAGE}/sumber").status_code == 401
    response = visitor.client.post(f"{PAGE}/terapkan", data={"bpmn": improved()})
    assert response.status_code in (400, 401) and response.is_json


def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(pages):
    analyst = pages("analyst")
    response = send(analyst, "terapkan", improved(), token=False)
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"
    assert versions(analyst) == [1]


def test_validation_names_each_broken_element(pages):
    analyst = pages("analyst")
    response = send(analyst, "validasi", broken())
    assert response.status_code == 200
    problems = response.get_json()["problems"]
    ids = {p["element_id"] for p in problems}
    assert {"T06_report_meeting", "T05_create_meeting"} <= ids
    assert any("meeting/explode" in p["message"] and "tidak terdaftar" in p["message"] for p in problems)
    assert send(analyst, "validasi", SOP).get_json()["problems"] == []
    assert send(analyst, "validasi", improved()).get_json()["problems"] == []


def test_a_timer_out_of_step_with_its_time_standard_is_a_problem_on_the_timer(pages):
    bad = SOP.replace(">due_SP05_create_meeting<", ">due_T06_report_meeting<")
    problems = send(pages("analyst"), "validasi", bad).get_json()["problems"]
    assert [p["element_id"] for p in problems] == ["B05_sla_timer"]


def test_a_changed_process_id_is_a_problem(pages):
    renamed = SOP.replace('<bpmn:process id="zoom_meeting_request"', '<bpmn:process id="other_process"') \
        .replace('processRef="zoom_meeting_request"', 'processRef="other_process"')
    problems = send(pages("analyst"), "validasi", renamed).get_json()["problems"]
    assert [p["element_id"] for p in problems] == ["other_process"]
    response = send(pages("analyst"), "terapkan", renamed)
    assert response.status_code == 422 and versions(pages("analyst")) == [1]


def test_a_draft_with_problems_is_saved_listed_and_opened_again(pages):
    analyst = pages("analyst")
    response = send(analyst, "draf", broken())
    assert response.status_code == 201
    draft = response.get_json()
    assert draft["saved_by"] == "analyst" and draft["problems"]
    listed = analyst.client.get(f"{PAGE}/draf").get_json()["drafts"]
    assert [d["id"] for d in listed] == [draft["id"]]
    page = analyst.get(PAGE).get_data(as_text=True)
    assert f'href="{PAGE}?draf={draft["id"]}"' in page
    assert analyst.get(f'{PAGE}?draf={draft["id"]}').status_code == 200
    opened = analyst.client.get(f'{PAGE}/sumber?draf={draft["id"]}').get_json()
    assert opened["bpmn"] == broken() and opened["draft_id"] == draft["id"] and opened["version"] is None
    assert analyst.client.get(f"{PAGE}/sumber?draf=99999").status_code == 404
    assert versions(analyst) == [1]  # a draft never deploys


def test_a_deploy_with_problems_is_refused_with_them_and_nothing_is_stored(pages):
    analyst = pages("analyst")
    response = send(analyst, "terapkan", broken())
    assert response.status_code == 422
    assert {"T06_report_meeting", "T05_create_meeting"} <= {p["element_id"] for p in response.get_json()["problems"]}
    assert versions(analyst) == [1]


def test_a_good_edit_deploys_as_a_new_version_that_new_requests_take(pages, clock):
    analyst = pages("analyst")
    response = send(analyst, "terapkan", improved())
    assert response.status_code == 201
    assert response.get_json()["version"] == 2 and response.get_json()["created"] is True
    again = send(analyst, "terapkan", improved())
    assert again.status_code == 200 and again.get_json() == dict(response.get_json(), created=False)
    assert versions(analyst) == [2, 1]
    assert analyst.client.get(f"{PAGE}/sumber").get_json()["version"] == 2
    assert analyst.client.get(f"{PAGE}/sumber?versi=1").get_json()["bpmn"] == SOP

    sop = PageSop(pages, clock)
    assert sop.submit().status_code == 302
    engine = sop.engine
    assert engine.get_instance(sop.instance_id, engine.actor("admin")).summary.version == 2


def test_an_uploaded_form_is_used_and_a_bad_forms_field_is_a_field_error(pages):
    analyst = pages("analyst")
    schema = json.dumps({"type": "object", "properties": {"catatan": {"type": "string"}}})
    with_form = SOP.replace('value="meeting_report.schema.json"', 'value="catatan_rapat.schema.json"')
    assert send(analyst, "validasi", with_form).get_json()["problems"]  # the form does not exist
    assert send(analyst, "validasi", with_form, {"catatan_rapat.schema.json": schema}).get_json()["problems"] == []
    response = analyst.client.post(f"{PAGE}/validasi", data={"bpmn": SOP, "forms": "[1]"},
                                   headers={"X-CSRF-Token": analyst.token})
    assert response.status_code == 400 and "forms" in response.get_json()["errors"]


def test_entities_and_oversized_files_are_refused_before_any_parsing(pages):
    analyst = pages("analyst")
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>')
    problems = send(analyst, "validasi", laughs).get_json()["problems"]
    assert len(problems) == 1 and problems[0]["element_id"] is None and "DOCTYPE" in problems[0]["message"]
    assert send(analyst, "terapkan", laughs).status_code == 422
    huge = send(analyst, "validasi", SOP + " " * (2 * 1024 * 1024))
    assert huge.status_code == 400 and "bpmn" in huge.get_json()["errors"]
    assert versions(analyst) == [1]


def test_problems_come_in_the_page_language(pages):
    analyst = pages("analyst")
    analyst.submit("/bahasa", {"lang": "en", "next": PAGE}, page=PAGE)
    problems = send(analyst, "validasi", broken()).get_json()["problems"]
    assert any("is not registered" in p["message"] for p in problems)
    assert "Process modeler" in analyst.get(PAGE).get_data(as_text=True)
