"""Deploy validation: the BPMN corpus in ../shared/bpmn, the SOP itself, and
hostile files. Every file gets a verdict, never a crash."""
import pathlib

import pytest

from engine.definitions.compiler import compile_process
from engine.definitions.problems import DeployError
from engine.services.catalog import default_registry
from engine.versions.store import read_bundle
from tests.shared_data import SHARED, needs_shared

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = SHARED / "bpmn"

# (file, element named by the first problem, a fragment of that problem's English message);
# None as the fragment: accepted.
EXPECTED = [
    ('miwg/A.1.0.bpmn', None, 'no executable process'),
    ('miwg/A.2.0.bpmn', None, 'no executable process'),
    ('miwg/A.2.1.bpmn', None, 'no executable process'),
    ('miwg/A.3.0.bpmn', None, 'no executable process'),
    ('miwg/A.4.0.bpmn', None, 'no executable process'),
    ('miwg/A.4.1.bpmn', None, 'no executable process'),
    ('miwg/B.1.0.bpmn', None, 'no executable process'),
    ('miwg/B.2.0.bpmn', None, 'no executable process'),
    ('miwg/C.1.0.bpmn', 'approveInvoice', 'must be in a role lane'),
    ('miwg/C.1.1.bpmn', 'approveInvoice', 'must be in a role lane'),
    ('miwg/C.2.0.bpmn', None, 'no executable process'),
    ('miwg/C.3.0.bpmn', '_c73a5f4a-72f1-4e11-bb40-2f98da75fb9a', 'must be in a role lane'),
    ('miwg/C.4.0.bpmn', None, 'no executable process'),
    ('miwg/C.5.0.bpmn', None, 'no executable process'),
    ('miwg/C.6.0.bpmn', None, 'no executable process'),
    ('miwg/C.7.0.bpmn', None, 'no executable process'),
    ('miwg/C.8.0.bpmn', None, 'no executable process'),
    ('miwg/C.8.1.bpmn', '_79523269-7444-4b01-90e9-e23957a9d020', 'must be in a role lane'),
    ('miwg/C.9.0.bpmn', 'UserTask_HandleTimeout', 'must be in a role lane'),
    ('miwg/C.9.1.bpmn', 'UserTask_CallCustomer', 'must be in a role lane'),
    ('miwg/C.9.2.bpmn', 'UserTask_DecideOnApplication', 'must be in a role lane'),
    ('miwg/bpmn.io-camunda-modeler-18.6.1/A.4.1-export.bpmn', None, None),  # accepted
    ('miwg/bpmn.io-camunda-modeler-18.6.1/B.1.0-export.bpmn', 'Activity_1923g7r', 'must be in a role lane'),
    ('miwg/bpmn.io-camunda-modeler-18.6.1/B.2.0-export.bpmn', 'Activity_1n1hhyt', 'must be in a role lane'),
    ('miwg/bpmn.io-camunda-modeler-18.6.1/C.1.0-export.bpmn', 'Event_1m6mn1s', 'the timer has no timeDate'),
    ('realworld/bpmn-js-examples/diagram.bpmn', None, 'no executable process'),
    ('realworld/bpmn-js-examples/kitchen-sink.bpmn', None, "attribute 'name' is required"),
    ('realworld/bpmn-js-examples/nested-subprocesses.bpmn', 'sid-9E3BA75C-29DD-4DAC-8283-8FDE4E9A6724', 'must be in a role lane'),
    ('realworld/bpmn-js-examples/pizza-collaboration.bpmn', None, 'no executable process'),
    ('realworld/spiff-arena/lanes_with_lane_owners.bpmn', 'Activity_GetData', 'does not exist'),
    ('realworld/spiff-arena/message_send_receive.bpmn', 'invoice_form', 'does not exist'),
    ('realworld/spiff-arena/process_navigation.bpmn', 'manual_task_one', 'must be in a role lane'),
    ('realworld/spiff-arena/spiff_example/call_activity_multi.bpmn', None, 'no executable process'),
    ('realworld/spiff-arena/spiff_example/multiinstance.bpmn', 'Activity_0t2klx8', 'must be in a role lane'),
    ('realworld/spiff-arena/user_task_with_timer.bpmn', 'user_task_one', 'must be in a role lane'),
    ('realworld/spiff-arena/with-service-task-call-activity-sub-process/main.bpmn', 'top_service_task', 'is not registered'),
    ('realworld/spiff-arena/with-service-task-call-activity-sub-process/without-service-task.bpmn', 'sub_level_sub_process_user_task', 'does not exist'),
    ('realworld/spiffworkflow/Approvals.bpmn', None, 'no executable process'),
    ('realworld/spiffworkflow/MessageBoundary.bpmn', 'Activity_Interrupt', 'must be in a role lane'),
    ('realworld/spiffworkflow/call_activity_with_message.bpmn', 'Activity_EnterPlan', 'must be in a role lane'),
    ('realworld/spiffworkflow/call_activity_with_message_parent.bpmn', 'Activity_ApproveOrDeny', 'must be in a role lane'),
    ('realworld/spiffworkflow/correlation_two_conversations.bpmn', 'set_topic_one', "only hold lines of the form 'name = expression'"),
    ('realworld/spiffworkflow/lanes.bpmn', 'Activity_A1', 'must be in a role lane'),
    ('realworld/spiffworkflow/random_fact.bpmn', 'Task_User_Select_Type', 'must be in a role lane'),
    ('realworld/spiffworkflow/service_task.bpmn', 'Activity-1inxqgx', 'is not registered'),
    ('realworld/spiffworkflow/timer-cycle-start.bpmn', 'Refill_Coffee', "only hold lines of the form 'name = expression'"),
    ('realworld/spiffworkflow/timer-non-interrupt-boundary.bpmn', 'Activity_Work', 'must be in a role lane'),
    ('realworld/spiffworkflow/transaction.bpmn', 'Activity_Get_Data', 'must be in a role lane'),
]


def _compile(data: bytes, forms=None):
    return compile_process(data, forms or {}, default_registry())


@needs_shared("bpmn")
def test_the_table_covers_the_whole_corpus():
    assert {p for p, _, _ in EXPECTED} == {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.bpmn")}


@needs_shared("bpmn")
@pytest.mark.parametrize("path, element_id, fragment", EXPECTED, ids=[p for p, _, _ in EXPECTED])
def test_corpus_file_verdict(path, element_id, fragment):
    data = (CORPUS / path).read_bytes()
    if fragment is None:
        assert _compile(data).key
        return
    with pytest.raises(DeployError) as caught:
        _compile(data)
    first = caught.value.problems[0]
    assert first.element_id == element_id
    assert fragment in first.message_en
    assert all(p.message_id and p.message_en for p in caught.value.problems)


def test_the_sop_deploys_and_hashes_its_forms():
    bpmn, forms = read_bundle(ROOT / "processes" / "zoom_meeting_request.bpmn", ROOT / "forms")
    compiled = _compile(bpmn, forms)
    assert compiled.key == "zoom_meeting_request"
    assert set(compiled.model.lanes) == {"OPD", "Kadis", "Kabid", "Subkoordinator", "Staf"}
    changed = dict(forms, **{"receipt.schema.json": forms["receipt.schema.json"].replace(b"diterima", b"DITERIMA")})
    assert _compile(bpmn, changed).hash != compiled.hash


def sop_variant(old: bytes, new: bytes, forms_drop=None):
    bpmn, forms = read_bundle(ROOT / "processes" / "zoom_meeting_request.bpmn", ROOT / "forms")
    assert old in bpmn
    for name in forms_drop or []:
        forms.pop(name)
    return bpmn.replace(old, new, 1), forms


@pytest.mark.parametrize("old, new, forms_drop, element_id, fragment", [
    (b'value="PT15M" />', b'value="PT15X" />', None, "SP05_create_meeting", "not an ISO 8601 duration"),
    (b"due_T08_review_draft</bpmn:timeDate>", b"due_later</bpmn:timeDate>", None, "B08_sla_timer",
     "to match the time standard"),
    (b'id="schedule/check"', b'id="schedule/guess"', None, "T04_check_schedule", "is not registered"),
    (b'disposition_kadis["decision"] == "forward"', b'__import__("os").getcwd()', None,
     "G02_decision", "may be called"),
    (b'request[&quot;start_at&quot;]', b'request.__class__', None, "T04_check_schedule", "Attribute"),
    (b"<bpmn:flowNodeRef>T03_disposition_kabid</bpmn:flowNodeRef>", b"", None, "T03_disposition_kabid",
     "role lane"),
    (b'id="Flow_T07_to_T08" sourceRef="T07_draft_letter"', b'id="Flow_T07_to_T08" sourceRef="G07_merge"', None,
     "T07_draft_letter", "dead end"),
], ids=["bad-duration", "timer-mismatch", "unknown-operator", "import-in-condition", "dunder-parameter",
        "task-outside-lanes", "dead-end"])
def test_semantic_lint_names_the_element(old, new, forms_drop, element_id, fragment):
    bpmn, forms = sop_variant(old, new, forms_drop)
    with pytest.raises(DeployError) as caught:
        _compile(bpmn, forms)
    assert any(p.element_id == element_id and fragment in p.message_en for p in caught.value.problems), \
        caught.value.problems


def test_missing_form_is_named():
    bpmn, forms = read_bundle(ROOT / "processes" / "zoom_meeting_request.bpmn", ROOT / "forms")
    forms.pop("receipt.schema.json")
    with pytest.raises(DeployError) as caught:
        _compile(bpmn, forms)
    assert [(p.element_id, "receipt" in p.message_en) for p in caught.value.problems] == [
        ("T10_acknowledge_receipt", True)]


HOSTILE = {
    "xxe": b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>""",
    "billion-laughs": b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</bpmn:definitions>""",
    "external-dtd": b"""<?xml version="1.0"?><!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"/>""",
    "oversized": b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'>"
                 + b"<!-- pad -->" * 300_000 + b"</bpmn:definitions>",
    "not-xml": b"%PDF-1.4 this is not XML",
    "empty": b"",
    "wrong-root": b"<html><body>hi</body></html>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_files_are_refused_with_a_message(name):
    with pytest.raises(DeployError) as caught:
        _compile(HOSTILE[name])
    problem = caught.value.problems[0]
    assert problem.message_id and problem.message_en
    assert "root:" not in problem.message_en  # no file content leaks into the message
