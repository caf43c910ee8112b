"""The lean workflow classes (``engine.runtime.lean``): the workflows the engine runs and
restores are made of them, the stored JSON does not change, the plain walks for ready
and waiting tasks find what SpiffWorkflow's iterator finds, and a task's state change
is still logged when SpiffWorkflow's logger is on. The whole suite compares every walk
as it goes (``tests/conftest.py``); here the comparison is shown to bite, and run over
diagrams from other tools."""
from __future__ import annotations

import json
import logging

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskIterator, TaskState

from engine.runtime import lean, walks
from engine.runtime.lean import LeanSubWorkflow, LeanTask, LeanWorkflow
from engine.runtime.state import dump_default, dump_state
from engine.runtime.walks import ready_tasks, waiting_tasks
from tests.conftest import future_request
from tests.engine.sop import MemoryInstance
from tests.shared_data import SHARED, needs_shared


def at_step_5(clock) -> MemoryInstance:
    """An instance inside step 5's sub-process (the meeting entered by hand), restored."""
    inst = MemoryInstance(clock).start(future_request(clock))
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        inst.complete(step)
    assert set(inst.ready()) == {"T05_enter_meeting_details"}
    return inst


def test_started_and_restored_workflows_and_their_sub_processes_walk_lean(clock):
    inst = at_step_5(clock)  # restored from its JSON after every step (tests/engine/sop.py)
    assert type(inst.workflow) is LeanWorkflow
    assert inst.workflow.subprocesses
    assert {type(sub) for sub in inst.workflow.subprocesses.values()} == {LeanSubWorkflow}
    assert {type(t) for w in (inst.workflow, *inst.workflow.subprocesses.values()) for t in w.tasks.values()} \
        == {LeanTask}
    started = inst.runner.start(inst.process, future_request(clock), inst.session())
    assert type(started) is LeanWorkflow and {type(t) for t in started.tasks.values()} == {LeanTask}
    inst.complete("T05_enter_meeting_details", {"meeting_id": "987 6543 2109", "passcode": "abc123",
                                                "join_url": "https://zoom.us/j/98765432109"})
    assert {type(t) for w in (inst.workflow, *inst.workflow.subprocesses.values()) for t in w.tasks.values()} \
        == {LeanTask}  # made by the step, then restored


@pytest.mark.parametrize("level", [logging.WARNING, logging.INFO])
def test_a_state_change_is_logged_as_spiffworkflow_logs_it_when_its_logger_is_on(clock, caplog, level):
    inst = MemoryInstance(clock).start(future_request(clock))
    [task] = [t for t in ready_tasks(inst.workflow) if t.task_spec.bpmn_id == "T02_disposition_kadis"]
    before = task.last_state_change
    with caplog.at_level(level, logger="spiff.task"):
        task._set_state(TaskState.COMPLETED)
        task._set_state(TaskState.COMPLETED)  # the same state again: nothing changes
    assert task.state == TaskState.COMPLETED and task.last_state_change >= before
    logged = [r for r in caplog.records if r.name == "spiff.task"]
    if level == logging.INFO:
        assert [r.getMessage() for r in logged] == ["State changed to COMPLETED"]
        assert logged[0].task_spec == "T02_disposition_kadis"
    else:
        assert logged == []


def test_the_stored_json_names_spiffworkflows_classes_and_spiffworkflow_reads_it(clock):
    inst = at_step_5(clock)
    stored = json.loads(dump_state(inst.workflow))
    assert stored["typename"] == "BpmnWorkflow"
    assert {task.get("typename") for task in stored["tasks"].values()} == {"Task"}
    assert {sub["typename"] for sub in stored["subprocesses"].values()} == {"BpmnSubWorkflow"}
    plain = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG))).deserialize_json(
        dump_default(inst.workflow))
    assert type(plain) is BpmnWorkflow
    assert [t.id for t in plain.get_tasks(state=TaskState.READY)] == \
        [t.id for t in ready_tasks(inst.workflow)]


def test_the_walks_find_what_spiffworkflows_iterator_finds_inside_a_sub_process(clock):
    inst = at_step_5(clock)
    workflow = inst.workflow
    ready = ready_tasks(workflow)
    assert [t.task_spec.bpmn_id for t in ready] == ["T05_enter_meeting_details"]
    assert ready == BpmnWorkflow.get_tasks(workflow, state=TaskState.READY)
    for each in [workflow, *workflow.subprocesses.values()]:
        assert list(waiting_tasks(each)) == list(TaskIterator(each.task_tree, state=TaskState.WAITING))
    assert [t.task_spec.bpmn_id for t in waiting_tasks(workflow)] == ["B05_sla_timer"]  # step 5's time


def test_a_walk_that_differs_from_spiffworkflows_fails_the_suite(clock, monkeypatch):
    inst = at_step_5(clock)
    with lean.checking():
        monkeypatch.setattr(walks, "ready_tasks", lambda workflow: [])
        with pytest.raises(AssertionError, match="ready tasks differ"):
            inst.workflow.get_tasks(state=TaskState.READY)
        monkeypatch.setattr(walks, "waiting_tasks", lambda workflow: iter(()))
        with pytest.raises(AssertionError, match="waiting tasks differ"):
            inst.workflow.update_waiting_tasks()


def _runnable(path):
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_file(str(path))
        key = parser.get_process_ids()[0]
        return parser.get_spec(key), parser.get_subprocess_specs(key)
    except Exception:  # a diagram SpiffWorkflow cannot run (no executable process, unsupported parts)
        return None


@needs_shared("bpmn", "realworld")
def test_the_walks_agree_with_spiffworkflow_over_diagrams_from_other_tools():
    """Each diagram SpiffWorkflow can run is run step by step (its first ready task run
    each time) as a ``LeanWorkflow`` with every walk compared; a step that fails for the
    diagram's own reasons (an expression naming unknown data) ends that diagram's run."""
    walked = steps = 0
    with lean.checking():
        for path in sorted(SHARED.joinpath("bpmn").rglob("*.bpmn")):
            specs = _runnable(path)
            if specs is None:
                continue
            workflow = LeanWorkflow(*specs)
            walked += 1
            for _ in range(60):
                try:
                    workflow.do_engine_steps()
                    ready = workflow.get_tasks(state=TaskState.READY)
                    if not ready:
                        break
                    ready[0].run()
                except AssertionError:
                    raise
                except Exception:  # the diagram's own data or scripts: not the walk's concern
                    break
                steps += 1
    assert walked >= 10 and steps >= 20, (walked, steps)
