"""Walks of a workflow's task tree, in SpiffWorkflow's order, without its iterator.

SpiffWorkflow 3.2.0 finds the tasks to run next by walking the whole tree with
``TaskIterator``: after every task it completes it walks it again for the
waiting tasks, and each round of ``do_engine_steps`` walks it for the ready
ones. The iterator's filter objects and depth bookkeeping made those walks a
tenth of a command's time. These walks find the same tasks in the same order
(``engine.runtime.lean`` puts them in SpiffWorkflow's place). The one
difference: the iterator stops descending 1,000 tasks deep, a plain walk does
not (no instance of a request is that deep).
"""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

READY, WAITING = TaskState.READY, TaskState.WAITING
# the iterator descends only below tasks of a state that can precede a ready or waiting one
_DEFINITE = TaskState.FUTURE


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
