"""The plain walks for ready and waiting tasks (``engine.runtime.walks``): the workflows
the engine runs and restores use them, the stored JSON does not change, and they find
what SpiffWorkflow's iterator finds. The whole suite compares every walk as it goes
(``tests/conftest.py``); here the comparison is shown to bite, and run over diagrams
from other tools."""
from __future__ import annotations

import json

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskIterator, TaskState

from engine.runtime import walks
from engine.runtime.state import dump_default, dump_state
from engine.runtime.walks import LeanSubWorkflow, LeanWorkflow, ready_tasks, waiting_tasks
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
    started = inst.runner.start(inst.process, future_request(clock), inst.session())
    assert type(started) is LeanWorkflow


def test_the_stored_json_names_spiffworkflows_classes_and_spiffworkflow_reads_it(clock):
    inst = at_step_5(clock)
    stored = json.loads(dump_state(inst.workflow))
    assert stored["typename"] == "BpmnWorkflow"
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
    with walks.checking():
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
    with walks.checking():
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
