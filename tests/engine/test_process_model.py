"""The SOP model and its forms keep the names other programs rely on, and
the diagram is complete enough to open in bpmn.io and Camunda Modeler."""
import json
import pathlib
import re

import pytest

from engine.definitions.model import NS, read_model
from engine.definitions.xmlsafe import parse_xml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BPMN = ROOT / "processes" / "zoom_meeting_request.bpmn"
DI = {"bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}


@pytest.fixture(scope="module")
def tree():
    return parse_xml(BPMN.read_bytes())


@pytest.fixture(scope="module")
def model(tree):
    return read_model(tree)


def form(key):
    return json.loads((ROOT / "forms" / f"{key}.schema.json").read_text())


def test_one_collaboration_with_the_five_lanes(tree, model):
    assert model.process_id == "zoom_meeting_request"
    assert len(tree.xpath("//bpmn:collaboration", namespaces=NS)) == 1
    assert model.lanes == ("OPD", "Kadis", "Kabid", "Subkoordinator", "Staf")


def test_every_sop_step_has_an_element_carrying_its_number(model):
    for step in range(1, 11):
        assert any(re.match(rf"^[A-Z]+{step:02d}_", eid) for eid in model.elements), step


def test_every_shape_and_edge_is_drawn(tree, model):
    shapes = {s.get("bpmnElement") for s in tree.xpath("//bpmndi:BPMNShape", namespaces=DI)}
    edges = {e.get("bpmnElement") for e in tree.xpath("//bpmndi:BPMNEdge", namespaces=DI)}
    lanes = {lane.get("id") for lane in tree.xpath("//bpmn:lane", namespaces=NS)}
    assert set(model.elements) | lanes | {"Participant_diskominfo"} <= shapes
    assert {f.id for f in model.flows} <= edges
    for edge in tree.xpath("//bpmndi:BPMNEdge", namespaces=DI):
        assert len(edge.xpath("./*[local-name()='waypoint']")) >= 2, edge.get("bpmnElement")


@pytest.mark.parametrize("element_id, operator", [
    ("T04_check_schedule", "schedule/check"), ("T05_create_meeting", "meeting/create"),
    ("T09_dispatch_letter", "letter/dispatch"), ("T04_notify_schedule_full", "notice/schedule_full"),
    ("T05_escalate", "notify/escalate"), ("T08_escalate", "notify/escalate"),
])
def test_service_operators(model, element_id, operator):
    assert model.elements[element_id].kind == "serviceTask"
    assert model.elements[element_id].operator == operator


def test_time_standards_and_their_timers(model):
    assert {e.id: e.time_standard for e in model.timed_elements()} == {
        "SP05_create_meeting": "PT15M", "T08_review_draft": "P1D", "T10_acknowledge_receipt": "P3D"}
    assert model.elements["B05_sla_timer"].timer == ("timeDate", "due_SP05_create_meeting")
    assert not model.elements["B05_sla_timer"].cancel_activity
    assert model.elements["B08_sla_timer"].attached_to == "T08_review_draft"


def test_step5_is_a_subprocess_with_the_manual_fallback(model):
    assert model.elements["SP05_create_meeting"].kind == "subProcess"
    assert model.elements["T05_create_meeting"].parent == "SP05_create_meeting"
    assert model.elements["B05_meeting_failed"].attached_to == "T05_create_meeting"
    assert model.elements["T05_enter_meeting_details"].lane == "Staf"
    assert model.elements["T05_enter_meeting_details"].form_key == "meeting_details"


def test_every_user_task_names_an_existing_form(model):
    for element in model.elements.values():
        if element.kind == "userTask":
            assert (ROOT / "forms" / f"{element.form_key}.schema.json").is_file(), element.id


def test_the_pinned_start_form_fields():
    schema = form("request")
    props = schema["properties"]
    assert set(schema["required"]) == {"topic", "start_at", "duration_minutes", "participants",
                                       "letter_number", "letter_date"}
    assert props["topic"]["maxLength"] == 200
    assert props["start_at"]["format"] == "date-time"
    assert (props["duration_minutes"]["minimum"], props["duration_minutes"]["maximum"]) == (15, 720)
    assert props["participants"]["minimum"] == 1
    assert props["letter_date"]["format"] == "date"
    assert props["contact_email"]["format"] == "email"
    assert {"contact_name", "contact_phone", "notes", "letter_file"} <= set(props)


def test_the_meeting_details_form():
    assert set(form("meeting_details")["required"]) == {"meeting_id", "passcode", "join_url"}


@pytest.mark.parametrize("key, normal", [
    ("disposition_kadis", "forward"), ("disposition_kabid", "forward"),
    ("disposition_subkoordinator", "forward"), ("review_kabid", "approve"), ("review_kadis", "approve"),
    ("request_revision", "resubmit"),
])
def test_decision_fields_default_to_the_normal_path(key, normal):
    props = form(key)["properties"]
    decision = props.get("decision") or props["action"]
    assert decision["default"] == normal


def test_forms_have_indonesian_titles():
    for path in (ROOT / "forms").glob("*.schema.json"):
        schema = json.loads(path.read_text())
        assert schema["title"] and all("title" in p for p in schema["properties"].values()), path.name
