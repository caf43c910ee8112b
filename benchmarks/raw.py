"""The baseline: SpiffWorkflow alone, in memory, on the same BPMN, with the
same operators stubbed and the stock script engine (parse excluded)."""
from __future__ import annotations

import json

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import UserTask
from SpiffWorkflow.spiff.specs.event_definitions import ErrorEventDefinition

STUB_RESULTS = {
    "schedule/check": {"status": "free", "host_id": "zoom-1", "host_name": "Zoom Diskominfo 1"},
    "meeting/create": {"meeting_id": "12345678901", "passcode": "x7Yq2a",
                       "join_url": "https://zoom.us/j/12345678901", "provider": "stub"},
    "letter/dispatch": {"channel": "outbox", "document": "surat.txt", "sent_at": "2026-12-07T01:00:00+00:00"},
    "notice/schedule_full": {"channel": "outbox", "document": "notice.txt", "sent_at": "2026-12-07T01:00:00+00:00"},
    "notify/escalate": {"step": "x", "standard": "PT15M"},
}


class StubScriptEngine(PythonScriptEngine):
    """The stock engine with services answered from a table; with
    ``manual_meeting`` the meeting service fails into the manual task, as the
    ``manual`` provider of ``make run`` does."""

    def __init__(self, manual_meeting: bool = False):
        super().__init__()
        self.manual_meeting = manual_meeting

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        if self.manual_meeting and operation_name == "meeting/create":
            event = BpmnEvent(ErrorEventDefinition("MEETING_FAILED", code="MEETING_FAILED"), payload={},
                              target=task.workflow)
            task.workflow.top_workflow.catch(event)
            return "{}"
        return json.dumps(STUB_RESULTS[operation_name])


def parse(path: str):
    """Parse once (excluded from the timings)."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(path)
    return parser.get_spec("zoom_meeting_request"), parser.get_subprocess_specs("zoom_meeting_request")


def run_instance(spec, subs, request: dict, answers: dict, dues: dict, manual_meeting=False) -> BpmnWorkflow:
    """One fulfilled instance: every user task answered with ``answers[variable]``."""
    workflow = BpmnWorkflow(spec, subs, script_engine=StubScriptEngine(manual_meeting))
    start = workflow.get_next_task(state=TaskState.READY)
    start.data.update(request=request, **dues)
    workflow.do_engine_steps()
    while not workflow.is_completed():
        task = workflow.get_next_task(state=TaskState.READY, spec_class=UserTask)
        task.data[task.task_spec.variable] = answers[task.task_spec.variable]
        task.run()
        workflow.do_engine_steps()
    return workflow
