"""Walks of a workflow's task tree, in SpiffWorkflow's order, without its iterator.

SpiffWorkflow 3.2.0 finds the tasks to run next by walking the whole tree with
``TaskIterator``: after every task it completes it walks it again for the
waiting tasks, and each round of ``do_engine_steps`` walks it for the ready
ones. The iterator's filter objects and depth bookkeeping made those walks a
tenth of a command's time. ``LeanWorkflow`` (the runner's workflow class, and
what a restored state becomes) finds the same tasks, in the same order, by a
plain walk. The one difference: the iterator stops descending 1,000 tasks
deep, a plain walk does not (no instance of a request is that deep).

``checking()`` is a test switch: while on, every walk is compared with the
iterator's, task by task, as it goes.
"""
from __future__ import annotations

import contextlib
import itertools

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.util.task import TaskIterator, TaskState
from SpiffWorkflow.workflow import Workflow

READY, WAITING = TaskState.READY, TaskState.WAITING
# the iterator descends only below tasks of a state that can precede a ready or waiting one
_DEFINITE = TaskState.FUTURE
_READY_ONLY = {"state": READY}
_CHECKING = [False]


def tasks_in_order(workflow):
    """Every task of ``workflow`` and of its sub-processes, in the order of SpiffWorkflow's
    ``get_tasks_iterator()`` (depth first, a sub-process's tasks before the children of the
    task that runs it), without its filter and depth bookkeeping: that walk took as long as
    everything else of a command's snapshot."""
    subprocesses = workflow.top_workflow.subprocesses
    stack = [workflow.task_tree]
    while stack:
        task = stack.pop()
        yield task
        if task._children:
            held = task.workflow.tasks
            stack.extend(held.get(child) for child in reversed(task._children))
        sub = subprocesses.get(task.id)
        if sub is not None:
            stack.append(sub.task_tree)


def ready_tasks(workflow) -> list:
    """The ready tasks of ``workflow`` and of the sub-processes it runs, as SpiffWorkflow's
    ``get_tasks(state=TaskState.READY)`` lists them: a task's children are walked when it
    is definite or finished, a sub-process whenever its task has one."""
    subprocesses = workflow.top_workflow.subprocesses
    found, stack = [], [workflow.task_tree]
    while stack:
        task = stack.pop()
        state = task._state
        if state & READY:
            found.append(task)
        sub = subprocesses.get(task.id)
        if (sub is not None or state >= _DEFINITE) and task._children:
            held = task.workflow.tasks
            stack.extend([held.get(child) for child in reversed(task._children)])
        if sub is not None:
            stack.append(sub.task_tree)
    return found


def waiting_tasks(workflow):
    """The waiting tasks of ``workflow`` (not of its sub-processes), in the order of
    SpiffWorkflow's ``TaskIterator(state=TaskState.WAITING)``; lazily, as that iterator:
    a task's children are taken when the task is reached, so updating a task as it is
    given changes what comes after it the same way."""
    held, stack = workflow.tasks, [workflow.task_tree]
    while stack:
        task = stack.pop()
        state = task._state
        if task._children and state >= _DEFINITE:
            stack.extend([held.get(child) for child in reversed(task._children)])
        if state & WAITING:
            yield task


def _get_tasks(self, first_task=None, **kwargs) -> list:
    if first_task is None and kwargs == _READY_ONLY:
        found = ready_tasks(self)
        if _CHECKING[0]:
            assert found == Workflow.get_tasks(self, state=READY), "ready tasks differ from SpiffWorkflow's"
        return found
    return Workflow.get_tasks(self, first_task, **kwargs)


def _update_waiting_tasks(self) -> None:
    walk = waiting_tasks(self)
    if _CHECKING[0]:
        walk = _compared(walk, TaskIterator(self.task_tree, state=WAITING))
    for task in walk:
        task.task_spec._update(task)


def _compared(ours, theirs):
    for mine, spiffs in itertools.zip_longest(ours, theirs):
        assert mine is spiffs, "waiting tasks differ from SpiffWorkflow's"
        yield mine


class LeanSubWorkflow(BpmnSubWorkflow):
    """A sub-process's workflow whose ready and waiting tasks are found by plain walks."""

    get_tasks = _get_tasks
    update_waiting_tasks = _update_waiting_tasks


class LeanWorkflow(BpmnWorkflow):
    """A process's workflow whose ready and waiting tasks (its sub-processes' too) are found
    by plain walks; SpiffWorkflow's JSON names it ``BpmnWorkflow`` (``engine.runtime.state``)."""

    get_tasks = _get_tasks
    update_waiting_tasks = _update_waiting_tasks

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
