"""Changed versions of the bundled SOP, for deploy, version and migration tests."""
from __future__ import annotations

import pathlib

from engine.versions.store import read_bundle

ROOT = pathlib.Path(__file__).resolve().parents[2]

NEW_STEP = b"""<bpmn:userTask id="T06b_check_meeting" name="Periksa tautan rapat">
      <bpmn:extensionElements>
        <spiffworkflow:variableName>meeting_check</spiffworkflow:variableName>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="meeting_report.schema.json" />
          <spiffworkflow:property name="formUiSchemaFilename" value="meeting_report.uischema.json" />
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_T06_to_G07_merge</bpmn:incoming>
      <bpmn:outgoing>Flow_T06b_to_G07_merge</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_T06b_to_G07_merge" sourceRef="T06b_check_meeting" targetRef="G07_merge" />
    <bpmn:exclusiveGateway id="G07_merge">"""


def sop_bundle() -> tuple[bytes, dict[str, bytes]]:
    """The bundled SOP and its forms."""
    return read_bundle(ROOT / "processes" / "zoom_meeting_request.bpmn", ROOT / "forms")


def replace_once(bpmn: bytes, old: bytes, new: bytes) -> bytes:
    """``bpmn`` with the one occurrence of ``old`` replaced (fails loudly when absent)."""
    assert bpmn.count(old) == 1, old
    return bpmn.replace(old, new)


def with_ten_minutes(bpmn: bytes) -> bytes:
    """SP05's time standard 10 minutes instead of 15."""
    return replace_once(bpmn, b'name="timeStandard" value="PT15M"', b'name="timeStandard" value="PT10M"')


def with_new_step(bpmn: bytes) -> bytes:
    """A Staf step ``T06b_check_meeting`` between T06 and the letter."""
    bpmn = replace_once(bpmn, b'<bpmn:sequenceFlow id="Flow_T06_to_G07_merge" sourceRef="T06_report_meeting" '
                              b'targetRef="G07_merge" />',
                        b'<bpmn:sequenceFlow id="Flow_T06_to_G07_merge" sourceRef="T06_report_meeting" '
                        b'targetRef="T06b_check_meeting" />')
    bpmn = replace_once(bpmn, b"<bpmn:incoming>Flow_T06_to_G07_merge</bpmn:incoming>\n"
                              b"      <bpmn:incoming>Flow_G08_return</bpmn:incoming>",
                        b"<bpmn:incoming>Flow_T06b_to_G07_merge</bpmn:incoming>\n"
                        b"      <bpmn:incoming>Flow_G08_return</bpmn:incoming>")
    bpmn = replace_once(bpmn, b'<bpmn:exclusiveGateway id="G07_merge">', NEW_STEP)
    return replace_once(bpmn, b"<bpmn:flowNodeRef>T06_report_meeting</bpmn:flowNodeRef>",
                        b"<bpmn:flowNodeRef>T06_report_meeting</bpmn:flowNodeRef>\n"
                        b"        <bpmn:flowNodeRef>T06b_check_meeting</bpmn:flowNodeRef>")


def with_renamed_kadis_step(bpmn: bytes) -> bytes:
    """T02 under a new element id: for a running request, its step was removed."""
    return bpmn.replace(b"T02_disposition_kadis", b"T02_kadis_disposition")


def sop_v2() -> tuple[bytes, dict[str, bytes]]:
    """10-minute SP05, a new step after T06 and T02 under another id."""
    bpmn, forms = sop_bundle()
    return with_renamed_kadis_step(with_new_step(with_ten_minutes(bpmn))), forms


def with_manual_kabid_step(bpmn: bytes) -> bytes:
    """T03 as a manual task instead of a user task: the same id, another type."""
    start = bpmn.index(b'<bpmn:userTask id="T03_disposition_kabid"')
    end = bpmn.index(b"</bpmn:userTask>", start)
    return (bpmn[:start] + bpmn[start:end].replace(b"<bpmn:userTask", b"<bpmn:manualTask", 1)
            + b"</bpmn:manualTask>" + bpmn[end + len(b"</bpmn:userTask>"):])


def with_four_hour_review(bpmn: bytes) -> bytes:
    """T08 (Kabid reviews the draft) within 4 hours instead of 1 day."""
    return replace_once(bpmn, b'name="timeStandard" value="P1D"', b'name="timeStandard" value="PT4H"')


def _cut(bpmn: bytes, start: bytes, end: bytes) -> bytes:
    """``bpmn`` without the block from ``start`` to the first ``end`` after it (and its line)."""
    begin = bpmn.index(start)
    begin = bpmn.rindex(b"\n", 0, begin)
    return bpmn[:begin] + bpmn[bpmn.index(end, begin) + len(end):]


def without_report_step(bpmn: bytes) -> bytes:
    """T06 (Staf reports the meeting) removed: the meeting sub-process leads straight to G07."""
    bpmn = _cut(bpmn, b'<bpmn:userTask id="T06_report_meeting"', b"</bpmn:userTask>")
    bpmn = _cut(bpmn, b'<bpmndi:BPMNShape id="T06_report_meeting_di"', b"</bpmndi:BPMNShape>")
    bpmn = _cut(bpmn, b'<bpmndi:BPMNEdge id="Flow_T06_to_G07_merge_di"', b"</bpmndi:BPMNEdge>")
    bpmn = _cut(bpmn, b'<bpmn:sequenceFlow id="Flow_T06_to_G07_merge"', b"/>")
    bpmn = _cut(bpmn, b"<bpmn:flowNodeRef>T06_report_meeting</bpmn:flowNodeRef>", b"</bpmn:flowNodeRef>")
    bpmn = replace_once(bpmn, b'sourceRef="SP05_create_meeting" targetRef="T06_report_meeting"',
                        b'sourceRef="SP05_create_meeting" targetRef="G07_merge"')
    return replace_once(bpmn, b"<bpmn:incoming>Flow_T06_to_G07_merge</bpmn:incoming>",
                        b"<bpmn:incoming>Flow_SP05_to_T06</bpmn:incoming>")
