"""Recently used workflows kept alive between commands of this process.

Restoring a workflow from JSON costs more than running it. After a command
commits, its workflow object is kept under the instance's new lock version;
the next command on that instance takes it (and so owns it alone) if the
version still matches, or restores from the database otherwise. A command
keeps its object while the server writes its ``COMMIT`` (``Command.withdraw``
forgets it when that ``COMMIT`` fails); a command that took it meanwhile holds
a version never committed, so its write loses to the optimistic lock and it
runs again from the database. A failed command never puts its half-advanced
object back.

With the workflow, the instance's row as the command committed it is kept,
with the ready tasks it projected: the next completion of one of those tasks
may start from the kept row instead of reading it (``claim``). Nothing checks
that the row is still current until the command writes it: the optimistic
lock fails when another command (another process's, the worker's) wrote it
first, and the completion then runs again from a fresh read. Where that is the
rule for a step (a worker in another process writes the instance before it, as
when it lays out the konsep the Kabid reviews), the step learns it
(``worth_trying``, ``learn``) and reads first instead of spending an attempt.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from engine.runtime.state import load_state

# a step whose kept rows were found stale this many times more than current reads first
STALE_LIMIT = 2


@dataclass(frozen=True)
class KeptTask:
    """A ready user task of a kept row: what its projection row holds but the instance's."""

    id: str
    element_id: str
    lane: str | None


@dataclass(frozen=True)
class _KeptRow:
    version: int
    values: dict  # every column of the instance row, by attribute name
    tasks: dict  # task id -> KeptTask


class LiveWorkflows:
    """A bounded map instance id -> (lock version, workflow), and the rows last committed."""

    def __init__(self, capacity: int = 256):
        self.capacity = capacity
        self._items: OrderedDict = OrderedDict()
        self._rows: OrderedDict = OrderedDict()  # instance id -> _KeptRow
        self._tasks: dict = {}  # ready task id -> instance id, for the kept rows
        self._stale: dict = {}  # element id -> stale kept rows found lately, net of current ones
        self._lock = threading.Lock()

    def take(self, instance, process, script_engine):
        """The instance's workflow: the kept object when current, else restored."""
        with self._lock:
            kept = self._items.pop(instance.id, None)
        if kept is not None and kept[0] == instance.lock_version:
            return kept[1]
        return load_state(instance.state, process.spec, process.subprocess_specs, script_engine)

    def keep(self, instance, workflow, row: dict | None = None, ready=None) -> None:
        """Keep ``workflow`` as the state of ``instance`` at its committed version; with
        ``row`` (the instance's columns as committed) and ``ready`` (its ready user tasks,
        each with ``id``, ``element_id`` and ``lane``), the row for ``claim`` too. Without
        them, a kept row of another version is dropped."""
        with self._lock:
            self._items[instance.id] = (instance.lock_version, workflow)
            self._items.move_to_end(instance.id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
            if row is not None and ready is not None:
                tasks = {t.id: KeptTask(t.id, t.element_id, t.lane) for t in ready}
                self._keep_row(instance.id, _KeptRow(instance.lock_version, row, tasks))
            else:
                self._drop_row(instance.id, unless_version=instance.lock_version)

    def advance(self, instance_id: str, before: int, after: int, row: dict | None = None) -> None:
        """The row went from lock version ``before`` to ``after`` with its state untouched:
        a workflow kept at ``before`` is still the instance's state; ``row``: its columns now."""
        with self._lock:
            kept = self._items.get(instance_id)
            if kept is not None and kept[0] == before:
                self._items[instance_id] = (after, kept[1])
            old = self._rows.get(instance_id)
            if old is not None and old.version == before and row is not None:
                self._keep_row(instance_id, _KeptRow(after, row, old.tasks))
            else:
                self._drop_row(instance_id)

    def claim(self, task_id: str) -> tuple[KeptTask, dict] | None:
        """The kept task ``task_id`` and its instance's row as last committed here (the row is
        the caller's from then on: it is kept no longer), or None."""
        with self._lock:
            instance_id = self._tasks.get(task_id)
            kept = self._rows.get(instance_id) if instance_id is not None else None
            if instance_id is None or kept is None or task_id not in kept.tasks:
                return None
            self._drop_row(instance_id)
            return kept.tasks[task_id], kept.values

    def worth_trying(self, element_id: str) -> bool:
        """Whether a kept row is likely still current when a task of ``element_id`` is
        completed: not when such rows were found stale more often than current lately."""
        return self._stale.get(element_id, 0) < STALE_LIMIT

    def learn(self, element_id: str, current: bool) -> None:
        """Record whether the kept row claimed for a task of ``element_id`` was current."""
        with self._lock:
            score = self._stale.get(element_id, 0)
            self._stale[element_id] = max(score - 1, 0) if current else min(score + 1, STALE_LIMIT + 1)

    def forget(self, instance_id: str) -> None:
        """Drop whatever is kept for an instance."""
        with self._lock:
            self._items.pop(instance_id, None)
            self._drop_row(instance_id)

    def _keep_row(self, instance_id: str, kept: _KeptRow) -> None:
        self._drop_row(instance_id)
        self._rows[instance_id] = kept
        self._tasks.update(dict.fromkeys(kept.tasks, instance_id))
        while len(self._rows) > self.capacity:
            self._drop_row(next(iter(self._rows)))

    def _drop_row(self, instance_id: str, unless_version: int | None = None) -> None:
        old = self._rows.get(instance_id)
        if old is None or old.version == unless_version:
            return
        del self._rows[instance_id]
        for task_id in old.tasks:
            if self._tasks.get(task_id) == instance_id:
                del self._tasks[task_id]
