"""SpiffWorkflow's workflow, sub-process and task classes without their overhead
per step, for the workflows the engine runs and restores.

- The ready and waiting tasks are found by plain walks (``engine.runtime.walks``)
  instead of SpiffWorkflow's ``TaskIterator``.
- A task's state change makes its log record only when SpiffWorkflow's logger
  would write it: SpiffWorkflow builds the record's details (a dictionary, the
  parent looked up, the state's name) before asking the logger, for every change
  (about 90 a request), and the service logs SpiffWorkflow at WARNING.

The JSON stored is SpiffWorkflow's, naming its own classes (``engine.runtime.state``).
``checking()`` is a test switch: while on, every walk is compared with the
iterator's, task by task, as it goes.
"""
from __future__ import annotations

import contextlib
import itertools
import logging
import time

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.task import Task, logger as task_log
from SpiffWorkflow.util.task import TaskIterator, TaskState
from SpiffWorkflow.workflow import Workflow

from engine.runtime import walks
from engine.runtime.walks import READY, WAITING

_READY_ONLY = {"state": READY}
_CHECKING = [False]


class LeanTask(Task):
    """A task whose state change makes SpiffWorkflow's log record only when it would be written."""

    def _set_state(self, value: int) -> None:
        changed = value != self.state
        if task_log.isEnabledFor(logging.INFO if changed else logging.DEBUG):
            super()._set_state(value)
        elif changed:
            self.last_state_change = time.time()
            self._state = value

    def _add_child(self, task_spec, state: int = TaskState.MAYBE):
        child = super()._add_child(task_spec, state)
        child.__class__ = LeanTask  # SpiffWorkflow names its own class where it makes a child
        return child


def _made_lean(workflow) -> None:
    # the tasks SpiffWorkflow's constructor made (the start and its predicted children)
    for task in workflow.tasks.values():
        task.__class__ = LeanTask


def _get_tasks(self, first_task=None, **kwargs) -> list:
    if first_task is None and kwargs == _READY_ONLY:
        found = walks.ready_tasks(self)
        if _CHECKING[0]:
            assert found == Workflow.get_tasks(self, state=READY), "ready tasks differ from SpiffWorkflow's"
        return found
    return Workflow.get_tasks(self, first_task, **kwargs)


def _update_waiting_tasks(self) -> None:
    walk = walks.waiting_tasks(self)
    if _CHECKING[0]:
        walk = _compared(walk, TaskIterator(self.task_tree, state=WAITING))
    for task in walk:
        task.task_spec._update(task)


def _compared(ours, theirs):
    for mine, spiffs in itertools.zip_longest(ours, theirs):
        assert mine is spiffs, "waiting tasks differ from SpiffWorkflow's"
        yield mine


class LeanSubWorkflow(BpmnSubWorkflow):
    """A sub-process's workflow of lean tasks, its ready and waiting tasks found by plain walks."""

    get_tasks = _get_tasks
    update_waiting_tasks = _update_waiting_tasks

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _made_lean(self)


class LeanWorkflow(BpmnWorkflow):
    """A process's workflow of lean tasks, its ready and waiting tasks (its sub-processes'
    too) found by plain walks; SpiffWorkflow's JSON names it ``BpmnWorkflow``."""

    get_tasks = _get_tasks
    update_waiting_tasks = _update_waiting_tasks

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _made_lean(self)

    def create_subprocess(self, my_task, spec_name):
        """The sub-process that ``my_task`` runs, made a ``LeanSubWorkflow``."""
        subprocess = LeanSubWorkflow(self.subprocess_specs[spec_name], parent_task_id=my_task.id,
                                     top_workflow=self)
        self.subprocesses[my_task.id] = subprocess
        return subprocess


@contextlib.contextmanager
def checking():
    """While active, compare every walk with SpiffWorkflow's iterator (a test switch)."""
    before, _CHECKING[0] = _CHECKING[0], True
    try:
        yield
    finally:
        _CHECKING[0] = before
