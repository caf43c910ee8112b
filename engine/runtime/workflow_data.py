"""Changing a running instance's data from outside a task (a meeting moved by
staff): the change goes where later steps read from."""
from __future__ import annotations

from SpiffWorkflow import TaskState

OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def set_current_data(workflow, updates: dict, new=()) -> None:
    """Merge ``updates`` (variable -> fields) into the instance's current data.

    Open tasks (ready, waiting, started) hand their data on when they
    complete, so they get the change; a completed instance keeps its data
    on the workflow. A variable is merged only where it already exists, unless
    it is named in ``new``.
    """
    if workflow.is_completed():
        targets = [workflow.data]
    else:
        targets = [t.data for t in workflow.get_tasks(state=OPEN)]
        if not targets and workflow.last_task is not None:
            targets = [workflow.last_task.data]
    for data in targets:
        for name, fields in updates.items():
            current = data.get(name)
            if isinstance(current, dict):
                data[name] = {**current, **fields}
            elif name in new:
                data[name] = dict(fields)
