"""Diagrams from other modelers, explained: each construct vicon would not run
(Camunda implementations, listeners, connectors, mappings, foreign or external
scripts) and each missing piece (lane, operator) is a problem on its element,
in plain words in both languages, never the word 'None'."""
from __future__ import annotations

import pytest

from engine.definitions.compiler import compile_process
from engine.definitions.problems import DeployError
from engine.services.catalog import default_registry
from tests.shared_data import SHARED, needs_shared

HEAD = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
  id="Definitions_foreign" targetNamespace="http://example.org/foreign">
  <bpmn:process id="foreign" name="Dari modeler lain" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_Staf" name="Staf">
"""
# (element id, element XML, fragment of the Indonesian message, fragment of the English one)
CASES = [
    ("java_class", '<bpmn:serviceTask id="java_class" camunda:class="org.example.SendMail"/>',
     "implementasi Camunda tidak didukung (camunda:class 'org.example.SendMail'); pilih operator vicon",
     "the Camunda implementation is not supported"),
    ("uel_expression", '<bpmn:serviceTask id="uel_expression" camunda:expression="${mailer.send()}"/>',
     "implementasi Camunda tidak didukung (camunda:expression", "choose a vicon operator"),
    ("delegate", '<bpmn:serviceTask id="delegate" camunda:delegateExpression="${sender}"/>',
     "implementasi Camunda tidak didukung (camunda:delegateExpression", "camunda:delegateExpression '${sender}'"),
    ("external", '<bpmn:serviceTask id="external" camunda:type="external" camunda:topic="mail"/>',
     "implementasi Camunda tidak didukung (camunda:topic 'mail')", "camunda:topic 'mail'"),
    ("zeebe_job", '<bpmn:serviceTask id="zeebe_job"><bpmn:extensionElements>'
                  '<zeebe:taskDefinition type="mailer"/></bpmn:extensionElements></bpmn:serviceTask>',
     "implementasi Camunda 8/Zeebe tidak didukung (zeebe:taskDefinition 'mailer')", "Camunda 8/Zeebe"),
    ("no_operator", '<bpmn:serviceTask id="no_operator"/>',
     "tugas layanan belum menyebut operator vicon (serviceTaskOperator)", "names no vicon operator"),
    ("groovy", '<bpmn:scriptTask id="groovy" scriptFormat="groovy"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>',
     "format skrip 'groovy' tidak didukung", "script format 'groovy' is not supported"),
    ("xslt_external", '<bpmn:scriptTask id="xslt_external" scriptFormat="XSLT" camunda:resource="deployment://t.xslt"/>',
     "skrip berada di sumber luar ('deployment://t.xslt')", "lives in an external resource"),
    ("empty_script", '<bpmn:scriptTask id="empty_script" scriptFormat="python"/>',
     "tugas skrip tidak berisi skrip", "holds no script"),
    ("listened", '<bpmn:task id="listened"><bpmn:extensionElements><camunda:executionListener event="start">'
                 '<camunda:script scriptFormat="groovy">println 1</camunda:script></camunda:executionListener>'
                 '</bpmn:extensionElements></bpmn:task>',
     "pendengar eksekusi (execution listener) untuk peristiwa 'start' dari Camunda tidak didukung",
     "Camunda execution listener on event 'start' is not supported"),
    ("task_listened", '<bpmn:task id="task_listened"><bpmn:extensionElements>'
                      '<camunda:taskListener event="create" class="org.example.Assign"/>'
                      '</bpmn:extensionElements></bpmn:task>',
     "pendengar tugas (task listener) untuk peristiwa 'create'", "task listener on event 'create'"),
    ("connected", '<bpmn:sendTask id="connected"><bpmn:extensionElements><camunda:connector>'
                  '<camunda:connectorId>http-connector</camunda:connectorId></camunda:connector>'
                  '</bpmn:extensionElements></bpmn:sendTask>',
     "konektor 'http-connector' dari Camunda tidak didukung", "Camunda connector 'http-connector'"),
    ("mapped", '<bpmn:task id="mapped"><bpmn:extensionElements><camunda:inputOutput>'
               '<camunda:inputParameter name="to">a@example.org</camunda:inputParameter></camunda:inputOutput>'
               '</bpmn:extensionElements></bpmn:task>',
     "pemetaan masukan/keluaran (inputOutput) dari Camunda", "input/output mapping (inputOutput)"),
]
OUTSIDE = ('<bpmn:userTask id="outside"/>', "tidak berada di lajur mana pun", "it is in no lane at all")


def _diagram() -> bytes:
    refs = "".join(f"<bpmn:flowNodeRef>{element_id}</bpmn:flowNodeRef>" for element_id, *_ in CASES)
    body = "".join(xml for _, xml, _, _ in CASES) + OUTSIDE[0]
    return (HEAD + refs.encode() + b"</bpmn:lane></bpmn:laneSet>" + body.encode()
            + b"</bpmn:process></bpmn:definitions>")


@pytest.fixture(scope="module")
def problems():
    with pytest.raises(DeployError) as caught:
        compile_process(_diagram(), {}, default_registry())
    return caught.value.problems


@pytest.mark.parametrize("element_id, fragment_id, fragment_en",
                         [(c[0], c[2], c[3]) for c in CASES] + [("outside", OUTSIDE[1], OUTSIDE[2])],
                         ids=[c[0] for c in CASES] + ["outside"])
def test_each_construct_is_a_problem_on_its_element(problems, element_id, fragment_id, fragment_en):
    mine = [p for p in problems if p.element_id == element_id]
    assert any(fragment_id in p.message_id for p in mine), [p.message_id for p in mine]
    assert any(fragment_en in p.message_en for p in mine), [p.message_en for p in mine]


def test_no_message_says_none(problems):
    assert not [p for p in problems if "None" in p.message_id or "None" in p.message_en]


def test_the_foreign_format_is_named_instead_of_its_python_syntax(problems):
    groovy = [p.message_en for p in problems if p.element_id == "groovy" and "script" in p.message_en]
    assert len(groovy) == 1 and groovy[0].startswith("script format 'groovy' is not supported")


@needs_shared("bpmn")
def test_no_corpus_diagram_gets_a_message_with_none():
    found = []
    for path in sorted((SHARED / "bpmn").rglob("*.bpmn")):
        try:
            compile_process(path.read_bytes(), {}, default_registry())
        except DeployError as error:
            found += [(path.name, p.message_en) for p in error.problems
                      if "'None'" in p.message_id or "'None'" in p.message_en]
    assert not found
