"""Driving the SOP process in memory, saving and restoring after every step."""
from __future__ import annotations

import pathlib

from SpiffWorkflow import TaskState

from engine.definitions.compiler import compile_process
from engine.definitions.forms import fill_defaults, validate
from engine.letters.rendering import render_letter
from engine.runtime.operators import OperatorContext
from tests.fakes.memory_ports import MemoryPorts
from engine.runtime.runner import Runner, snapshot, task_data, tasks_in_order
from engine.services.catalog import default_registry
from engine.runtime.state import dump_state, load_state
from engine.versions.store import read_bundle

ROOT = pathlib.Path(__file__).resolve().parents[2]


def compiled_sop(registry=None):
    """The bundled SOP process, compiled with the default registry."""
    bpmn, forms = read_bundle(ROOT / "processes" / "zoom_meeting_request.bpmn", ROOT / "forms")
    return compile_process(bpmn, forms, registry or default_registry())


class MemoryInstance:
    """One instance run by the Runner, restored from its JSON after every step."""

    def __init__(self, clock, registry=None, ports=None):
        self.registry = registry or default_registry()
        self.process = compiled_sop(self.registry)
        self.runner = Runner(self.registry)
        self.clock = clock
        self.ports = ports or MemoryPorts()
        self.steps = []
        self.workflow = None

    def session(self):
        return self.runner.new_session(self.clock, "inst-1", self.ports)

    def _roundtrip(self):
        # the snapshot's own walk must visit what SpiffWorkflow's iterator visits, in its order
        assert [t.id for t in tasks_in_order(self.workflow)] == [t.id for t in self.workflow.get_tasks_iterator()]
        state = dump_state(self.workflow)
        self.workflow = load_state(state, self.process.spec, self.process.subprocess_specs,
                                   self.runner.script_engine)
        assert dump_state(self.workflow) == state

    def start(self, data):
        self.workflow = self.runner.start(self.process, data, self.session())
        self._roundtrip()
        self.run_external()
        return self

    def ready(self):
        return {t.element_id: t for t in snapshot(self.workflow, self.process).ready}

    def complete(self, element_id, data=None):
        task = self.ready()[element_id]
        form = self.process.forms[task.form_key]
        filled = fill_defaults(form, data or {}, task_data(self.workflow).get(
            self.process.model.elements[element_id].variable))
        assert validate(form, filled) == {}, validate(form, filled)
        if element_id == "T09_sign_letter" and filled.get("decision") == "approve":
            self._sign(task.id)
        self.runner.complete(self.workflow, self.process, task.id, filled, self.session())
        self.steps.append(element_id)
        self._roundtrip()
        self.run_external()

    def _sign(self, task_id):
        """What the letter desk and then the worker do for a signature: the number goes
        into the task's data, the final letter is laid out and stored (the dispatch sends it)."""
        task = self.runner.user_task(self.workflow, task_id)
        number, now = "000.7.2/1/DKISP/2026", self.clock.now()
        task.data["signed_letter"] = {"number": number, "version": 1, "signed_at": now.isoformat()}
        context = OperatorContext("inst-1", task_id, "@letter/final", now, f"inst-1:final:{task_id}",
                                  task.data, self.ports)
        render_letter(context, "final", number=number)

    def run_external(self):
        """Do what the worker does for every ready external task."""
        from engine.services import ServiceError
        while pending := snapshot(self.workflow, self.process).pending:
            task_id, element_id, operator = pending[0]
            call = self.runner.external_call(self.workflow, task_id, self.session())
            try:
                result = self.registry.get(operator).fn(call.context, **call.params)
            except ServiceError as exc:
                assert exc.bpmn_error_code, exc
                assert self.runner.throw_error(self.workflow, task_id, exc.bpmn_error_code,
                                               {"message": str(exc)}, self.session())
            else:
                self.runner.apply_result(self.workflow, self.process, task_id, result, self.session())
            self.steps.append(element_id)
            self._roundtrip()

    def fire_timers(self):
        session = self.session()
        self.runner.fire_timers(self.workflow, session)
        self._roundtrip()
        self.run_external()
        return session.events

    @property
    def outcome(self):
        return snapshot(self.workflow, self.process).outcome

    @property
    def data(self):
        return task_data(self.workflow)

    def error_tasks(self):
        return self.workflow.get_tasks(state=TaskState.ERROR)
