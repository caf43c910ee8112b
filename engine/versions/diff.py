"""What changed between two versions of a process, element by element.

Elements are matched by their BPMN id. An element counts as changed when its
type, name, lane, form, service operator, time standard, timer, or its
outgoing flows (targets and conditions) or incoming flows differ.
"""
from __future__ import annotations

from dataclasses import dataclass

from engine.definitions.model import ProcessModel

# (field name shown to users, how to read it from an element)
FIELDS = (
    ("type", lambda e: e.kind),
    ("name", lambda e: e.name),
    ("lane", lambda e: e.lane),
    ("form", lambda e: e.form_key),
    ("operator", lambda e: e.operator),
    ("time_standard", lambda e: e.time_standard),
    ("timer", lambda e: e.timer),
)


@dataclass(frozen=True)
class ElementChange:
    """One added, removed or changed element; ``fields`` names what changed."""

    id: str
    type: str
    name: str | None
    fields: tuple = ()


@dataclass(frozen=True)
class VersionChanges:
    """Elements added, removed and changed against the previous version."""

    added: tuple = ()
    removed: tuple = ()
    changed: tuple = ()

    @property
    def empty(self) -> bool:
        """True when nothing changed (or there is no previous version)."""
        return not (self.added or self.removed or self.changed)


def _outgoing(model: ProcessModel) -> dict:
    flows: dict = {}
    for flow in model.flows:
        flows.setdefault(flow.source, set()).add((flow.target, flow.condition, flow.is_default))
    return flows


def _incoming(model: ProcessModel) -> dict:
    flows: dict = {}
    for flow in model.flows:
        flows.setdefault(flow.target, set()).add(flow.source)
    return flows


def changed_fields(old, new, old_flows: tuple, new_flows: tuple) -> tuple:
    """The names of the fields that differ between two versions of one element."""
    fields = [name for name, read in FIELDS if read(old) != read(new)]
    if any(o.get(old.id, set()) != n.get(new.id, set()) for o, n in zip(old_flows, new_flows)):
        fields.append("flows")
    return tuple(fields)


def diff_models(old: ProcessModel | None, new: ProcessModel) -> VersionChanges:
    """The element changes from ``old`` to ``new`` (nothing when ``old`` is None)."""
    if old is None:
        return VersionChanges()
    old_flows, new_flows = (_outgoing(old), _incoming(old)), (_outgoing(new), _incoming(new))
    added = tuple(ElementChange(e.id, e.kind, e.name) for e in new.elements.values()
                  if e.id not in old.elements)
    removed = tuple(ElementChange(e.id, e.kind, e.name) for e in old.elements.values()
                    if e.id not in new.elements)
    changed = []
    for element in new.elements.values():
        before = old.elements.get(element.id)
        fields = changed_fields(before, element, old_flows, new_flows) if before else ()
        if fields:
            changed.append(ElementChange(element.id, element.kind, element.name, fields))
    return VersionChanges(added, removed, tuple(changed))
