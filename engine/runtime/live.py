"""Recently used workflows kept alive between commands of this process.

Restoring a workflow from JSON costs more than running it. After a command
commits, its workflow object is kept under the instance's new lock version;
the next command on that instance takes it (and so owns it alone) if the
version still matches, or restores from the database otherwise. A failed
command never puts its half-advanced object back.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from engine.runtime.state import load_state


class LiveWorkflows:
    """A bounded map instance id -> (lock version, workflow)."""

    def __init__(self, capacity: int = 256):
        self.capacity = capacity
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def take(self, instance, process, script_engine):
        """The instance's workflow: the kept object when current, else restored."""
        with self._lock:
            kept = self._items.pop(instance.id, None)
        if kept is not None and kept[0] == instance.lock_version:
            return kept[1]
        return load_state(instance.state, process.spec, process.subprocess_specs, script_engine)

    def keep(self, instance, workflow) -> None:
        """Keep ``workflow`` as the state of ``instance`` at its committed version."""
        with self._lock:
            self._items[instance.id] = (instance.lock_version, workflow)
            self._items.move_to_end(instance.id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def advance(self, instance_id: str, before: int, after: int) -> None:
        """The row went from lock version ``before`` to ``after`` with its state untouched:
        a workflow kept at ``before`` is still the instance's state."""
        with self._lock:
            kept = self._items.get(instance_id)
            if kept is not None and kept[0] == before:
                self._items[instance_id] = (after, kept[1])

    def forget(self, instance_id: str) -> None:
        """Drop whatever is kept for an instance."""
        with self._lock:
            self._items.pop(instance_id, None)
