"""Instance state storage format: SpiffWorkflow's JSON without the spec.

The spec is stored once per process version (as its BPMN) and parsed once;
an instance stores only its task tree and data, about a third of
SpiffWorkflow's default serialization.
"""
from __future__ import annotations

import json
from types import ModuleType

import orjson
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.helpers.bpmn_converter import BpmnConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import (BpmnSubWorkflowConverter, BpmnWorkflowConverter,
                                                             TaskConverter, WorkflowConverter)
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine.runtime.lean import LeanSubWorkflow, LeanTask, LeanWorkflow
from engine.storage import json_text
from engine.storage.packing import packed, unpacked


class TasksByTheirIds(BpmnConverter):
    """A workflow converter's mapping of its tasks keyed by the id each task's dictionary
    holds, not by converting every id to text again (kept conversions hold theirs)."""

    def mapping_to_dict(self, mapping, **kwargs):
        first = next(iter(mapping.values()), None)
        if not isinstance(first, Task) or kwargs:
            return super().mapping_to_dict(mapping, **kwargs)
        convert = self.registry.convert_to_dict[self.registry.typenames[Task]]
        converted = [convert(task) for task in mapping.values()]
        return {dct["id"]: dct for dct in converted}


class SubWorkflowConverter(TasksByTheirIds, BpmnSubWorkflowConverter):
    """A sub-process's workflow, its tasks keyed by their ids."""


class SpeclessWorkflowConverter(TasksByTheirIds, BpmnWorkflowConverter):
    """Writes a workflow without its specs; restores it onto given specs."""

    def to_dict(self, workflow):
        # the base class's fields but the specs: converting them only to drop them took
        # two thirds of every save
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        dct["spec_name"] = workflow.spec.name
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        dct = dict(dct, spec=spec, subprocess_specs=subprocess_specs or {})
        dct.pop("spec_name", None)
        return super().from_dict(dct)


class FinishedTaskConverter(TaskConverter):
    """Converts a finished task once: its dictionary is kept on the task and given again
    while what it is made of stays the same.

    A finished task (completed, cancelled, failed) and its parent no longer change their
    data, and comparing the two (the stored delta) is most of a task's conversion; an
    instance is saved after every command with most of its tasks finished."""

    def to_dict(self, task):
        if not task.state & TaskState.FINISHED_MASK:
            return super().to_dict(task)
        key = (task.state, task.last_state_change, task.triggered, id(task.data), len(task.data),
               tuple(task._children), len(task.internal_data))
        kept = getattr(task, "_vicon_converted", None)
        if kept is not None and kept[0] == key:
            return kept[1]
        converted = super().to_dict(task)
        task._vicon_converted = (key, converted)
        return converted


def _named(converter, typename: str):
    """``converter`` for a subclass, under SpiffWorkflow's name of its base: the JSON is the
    same, and restoring it makes the subclass."""
    class Named(converter):
        def __init__(self, target_class, registry):
            super().__init__(target_class, registry, typename)
    return Named


def _serializer(config: dict) -> BpmnWorkflowSerializer:
    # registered last, so a state is restored as the lean classes (``engine.runtime.lean``)
    lean = {LeanWorkflow: _named(config[BpmnWorkflow], "BpmnWorkflow"),
            LeanSubWorkflow: _named(config[BpmnSubWorkflow], "BpmnSubWorkflow"),
            LeanTask: _named(config[Task], "Task")}
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure({**config, **lean}))


_STATE = _serializer({**SPIFF_CONFIG, BpmnWorkflow: SpeclessWorkflowConverter, BpmnSubWorkflow: SubWorkflowConverter,
                      Task: FinishedTaskConverter})
_PLAIN = _serializer({**SPIFF_CONFIG, BpmnWorkflow: SpeclessWorkflowConverter})  # no kept conversions
_FULL = _serializer(dict(SPIFF_CONFIG))


# what the standard library's encoder hands to SpiffWorkflow's ``default`` must reach ours too
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _encode(serializer: BpmnWorkflowSerializer, workflow: BpmnWorkflow) -> bytes:
    """``serializer.serialize_json`` written by ``json_text`` (orjson: a twentieth of the time
    of the standard library's encoder, which was most of every save); the same document once parsed."""
    registry = serializer.registry

    def default(obj):  # SpiffWorkflow's encoder's rules, in its order
        typename = registry.typenames.get(type(obj))
        if typename is not None:
            return registry.convert_to_dict[typename](obj)
        if callable(obj) or isinstance(obj, ModuleType):
            return None
        if isinstance(obj, set):
            return list(obj)
        raise TypeError(f"{type(obj).__name__} is not JSON serializable")

    registry._encoder_mode = True
    try:
        dct = serializer.to_dict(workflow)
        dct[serializer.VERSION_KEY] = serializer.VERSION
        return json_text.dumps(dct, default=default, option=_OPTIONS)
    finally:
        registry._encoder_mode = False


def dump_state(workflow: BpmnWorkflow) -> str:
    """The instance state as compact JSON, without the spec."""
    return _encode(_STATE, workflow).decode("utf-8")


def dump_state_afresh(workflow: BpmnWorkflow) -> str:
    """``dump_state`` converting every task again (what the kept conversions must equal)."""
    return _encode(_PLAIN, workflow).decode("utf-8")


def dump_state_by_spiffworkflow(workflow: BpmnWorkflow) -> str:
    """SpiffWorkflow's own default serialization with the specs left out as ``dump_state``
    leaves them (what ``dump_state`` must equal once parsed)."""
    dct = json.loads(_FULL.serialize_json(workflow))
    spec = dct.pop("spec")
    dct.pop("subprocess_specs")
    return json.dumps(dict(dct, spec_name=spec["name"]))


def pack_state(workflow: BpmnWorkflow) -> bytes:
    """What the database stores: the spec-less JSON, packed (``packed``)."""
    return packed(_encode(_STATE, workflow))


def load_state(state: str | bytes, spec, subprocess_specs: dict, script_engine) -> BpmnWorkflow:
    """Restore an instance (packed bytes or JSON text) onto its cached specs
    and attach the script engine."""
    if isinstance(state, (bytes, bytearray, memoryview)):
        state = unpacked(state)
    dct = json_text.loads(state)
    _STATE.migrate(dct)
    workflow = _STATE.from_dict(dct, spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow


def dump_default(workflow: BpmnWorkflow) -> str:
    """SpiffWorkflow's default serialization (spec included), for comparisons."""
    return _FULL.serialize_json(workflow)
