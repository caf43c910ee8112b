"""Moving running requests to another version of their process.

A request's state is stored without its spec (engine/state.py) and restored
onto the compiled spec of its version. Migrating restores it onto its own
version, re-points every task at the same-named task spec of the target
version (SpiffWorkflow's ``diff_workflow`` / ``migrate_workflow``, which also
re-predicts the branches after the ready and waiting tasks), checks that
every task found its spec, and stores it as a request of the target version.

A request cannot move when one of its current tasks (ready, waiting or
started) has no element with the same id and type in the target version, or
when a step it already did cannot be matched there. A step under way whose
time standard changed gets the new standard from when it opened
(engine/migration_deadlines.py); the dry run shows the deadline moving.
"""
from __future__ import annotations

from dataclasses import dataclass

from SpiffWorkflow import TaskState
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from sqlalchemy import select

from engine.audit import chain as audit
from engine.errors import Conflict, InvalidData
from engine.versions.migration_deadlines import ahead, restamp
from engine.runtime.state import load_state
from engine.storage.models import Instance, ProcessVersion
from engine.versions.diff import diff_models
from engine.versions.history import LIVE_STATUSES, require_analyst, version_row

SPEC_REGISTRY = BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG))  # compares task specs
LIVE_TASKS = TaskState.READY | TaskState.WAITING | TaskState.STARTED
MAX_INSTANCES = 500


@dataclass(frozen=True)
class MigrationChange:
    """An element the move adds, removes or changes: ``change`` is added, removed or changed."""

    change: str
    id: str
    type: str
    name: str | None
    fields: tuple = ()


@dataclass(frozen=True)
class MigrationCheck:
    """What moving one request would do (a dry run)."""

    id: str
    topic: str
    from_version: int
    current: tuple
    movable: bool
    reason: str | None
    changes: tuple = ()  # only those the request can still reach
    current_names: tuple = ()  # the current steps' names, in the order of ``current``
    deadlines: tuple = ()  # DeadlineChange of the steps under way whose standard changed


@dataclass(frozen=True)
class MigrationRefusal:
    """A request that was not moved, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class MigrationResult:
    """The requests moved and those refused."""

    migrated: tuple
    refused: tuple


class Refused(Exception):
    """A request cannot move; carries the reason in both languages."""

    def __init__(self, message_id: str, message_en: str, current: tuple = (), reach=None):
        super().__init__(message_en)
        self.message_id, self.message_en, self.current = message_id, message_en, current
        self.reach = reach

    def message(self, lang: str) -> str:
        """The reason in ``lang``."""
        return self.message_id if lang == "id" else self.message_en


def _ids(instance_ids, lang: str) -> list[str] | None:
    if instance_ids is None:
        return None
    if not isinstance(instance_ids, (list, tuple)) or \
            not all(isinstance(i, str) for i in instance_ids):
        raise InvalidData({"instance_ids": ["Harus daftar ID permohonan." if lang == "id"
                                            else "Must be a list of request ids."]})
    return list(dict.fromkeys(instance_ids))[:MAX_INSTANCES]


def _element_ids(workflow, state) -> tuple:
    ids = [t.task_spec.bpmn_id for t in workflow.get_tasks(state=state) if t.task_spec.bpmn_id]
    return tuple(dict.fromkeys(ids))


def _current(workflow) -> tuple:
    """The ready steps' element ids, or the waiting ones when nothing is ready."""
    return _element_ids(workflow, TaskState.READY) or _element_ids(workflow, TaskState.WAITING)


def _check_live_tasks(workflow, source, target, to_version: int) -> None:
    """Refused when a ready, waiting or started task has no counterpart in the target."""
    for task in workflow.get_tasks(state=LIVE_TASKS):
        element_id = task.task_spec.bpmn_id
        if not element_id:
            continue  # SpiffWorkflow's own joins and splits follow their elements
        now = target.model.elements.get(element_id)
        if now is None:
            raise Refused(f"langkah saat ini {element_id} tidak ada di versi {to_version}",
                          f"its current step {element_id} does not exist in version {to_version}")
        before = source.model.elements.get(element_id)
        if before is not None and before.kind != now.kind:
            change = f"{before.kind} -> {now.kind}"
            raise Refused(f"langkah saat ini {element_id} berganti jenis ({change}) "
                          f"di versi {to_version}",
                          f"its current step {element_id} changed type ({change}) "
                          f"in version {to_version}")


def _repredict_started(workflow) -> None:
    """Predict again what follows each started task (e.g. a sub-process under way):
    ``migrate_workflow`` does it only for ready and waiting ones, and the old
    prediction would still lead where the previous version went."""
    upcoming = TaskState.FUTURE | TaskState.PREDICTED_MASK
    for task in [t for t in workflow.tasks.values() if t.state == TaskState.STARTED]:
        for child in task.children:
            if child.state & upcoming and not child.triggered:
                workflow._remove_task(child.id)
        task.task_spec._predict(task, mask=upcoming | TaskState.STARTED)


def _unmatched(workflow, target) -> list[str]:
    """Names of tasks whose spec is not one of the target's."""
    specs = [target.spec, *target.subprocess_specs.values()]
    names = []
    for task in workflow.get_tasks():
        if not any(spec.task_specs.get(task.task_spec.name) is task.task_spec for spec in specs):
            names.append(task.task_spec.bpmn_id or task.task_spec.name)
    return names


def repoint(workflow, target) -> None:
    """Re-point ``workflow`` (restored on its own version) at the target's specs."""
    top, subs = diff_workflow(SPEC_REGISTRY, workflow, target.spec, target.subprocess_specs)
    # migrate_workflow resets waiting events: a duration timer would start again from now
    waiting = workflow.get_tasks(state=TaskState.WAITING)
    timer_values = {t.id: t.internal_data["event_value"] for t in waiting
                if "event_value" in t.internal_data}
    for sub_id, sub_diff in subs.items():
        sub = workflow.subprocesses[sub_id]
        new_spec = target.subprocess_specs.get(sub.spec.name)
        if sub_diff is None or new_spec is None:
            raise Refused(f"sub-proses {sub.spec.name} tidak ada di versi tujuan",
                          f"sub-process {sub.spec.name} does not exist in the target version")
        migrate_workflow(sub_diff, sub, new_spec)
    migrate_workflow(top, workflow, target.spec)
    workflow.subprocess_specs = target.subprocess_specs
    for flow in (workflow, *workflow.subprocesses.values()):
        _repredict_started(flow)
    for task in workflow.get_tasks(state=TaskState.WAITING):
        if task.id in timer_values:
            task.internal_data["event_value"] = timer_values[task.id]
    unmatched = ", ".join(sorted(set(_unmatched(workflow, target)))[:5])
    if unmatched:
        raise Refused(f"langkah yang sudah dilalui tidak ada di versi tujuan: {unmatched}",
                      f"steps already done do not exist in the target version: {unmatched}")


def _changes(source, target, reach) -> tuple:
    """The version's changes to elements in ``reach`` (what lies ahead of a request)."""
    diff = diff_models(source.model, target.model)
    kinds = (("added", diff.added), ("removed", diff.removed), ("changed", diff.changed))
    return tuple(MigrationChange(kind, c.id, c.type, c.name, c.fields)
                 for kind, entries in kinds for c in entries if c.id in reach)


@dataclass(frozen=True)
class Plan:
    """A request's workflow moved onto the target version (not stored)."""

    workflow: object
    current: tuple
    reach: frozenset
    deadlines: tuple


def plan(kernel, session, instance: Instance, target_row: ProcessVersion) -> Plan:
    """The instance's workflow moved onto the target version (not stored), its
    current tasks, what lies ahead and the deadlines that move; Refused when it
    cannot move."""
    source_row = kernel.versions.row(session, instance.process_version_id)
    if instance.status not in LIVE_STATUSES:
        raise Refused("permohonan sudah selesai", "the request is already finished")
    if source_row.key != target_row.key:
        raise Refused("permohonan bukan dari proses ini", "the request belongs to another process")
    if source_row.id == target_row.id:
        raise Refused(f"sudah di versi {target_row.version}",
                      f"already on version {target_row.version}")
    source = kernel.versions.compiled(source_row)
    target = kernel.versions.compiled(target_row)
    workflow = load_state(instance.state, source.spec, source.subprocess_specs,
                          kernel.runner.script_engine)
    current, reach = _current(workflow), frozenset(ahead(workflow, source, target))
    try:
        _check_live_tasks(workflow, source, target, target_row.version)
        repoint(workflow, target)
    except Refused as exc:
        raise Refused(exc.message_id, exc.message_en, current, reach) from None
    deadlines = restamp(workflow, source, target, (instance.facts or {}).get("opened", {}),
                        kernel.runner.deadline)
    return Plan(workflow, current, reach, deadlines)


def _instances(session, key: str, ids: list[str] | None, target_row) -> list:
    if ids is not None:
        return [(i, session.get(Instance, i)) for i in ids]
    query = (select(Instance).join(ProcessVersion, ProcessVersion.id == Instance.process_version_id)
             .where(ProcessVersion.key == key, Instance.status.in_(LIVE_STATUSES),
                    Instance.process_version_id != target_row.id)
             .order_by(Instance.created_at).limit(MAX_INSTANCES))
    return [(row.id, row) for row in session.scalars(query)]


NOT_FOUND = Refused("permohonan tidak ditemukan", "no such request")
CHANGED_MEANWHILE = Refused("permohonan berubah sementara itu; coba lagi",
                            "the request changed meanwhile; try again")


def dry_run(kernel, key: str, to_version: int, instance_ids, actor,
            lang: str = "id") -> list[MigrationCheck]:
    """What moving the given (default: every running) request of ``key`` to
    ``to_version`` would do; nothing is stored."""
    require_analyst(actor)
    ids = _ids(instance_ids, lang)
    checks = []
    with kernel.db.reading() as session:
        target_row = version_row(session, key, to_version)
        target = kernel.versions.compiled(target_row)
        for instance_id, instance in _instances(session, key, ids, target_row):
            if instance is None:
                checks.append(MigrationCheck(instance_id, "", 0, (), False,
                                             NOT_FOUND.message(lang)))
                continue
            source_row = kernel.versions.row(session, instance.process_version_id)
            source = kernel.versions.compiled(source_row)
            try:
                moved = plan(kernel, session, instance, target_row)
                current, reach, deadlines, reason = moved.current, moved.reach, moved.deadlines, None
            except Refused as exc:
                current, reach, deadlines, reason = exc.current, exc.reach or frozenset(), (), exc.message(lang)
            elements = source.model.elements
            names = tuple(getattr(elements.get(c), "name", None) or c for c in current)
            changes = _changes(source, target, reach) if source_row.key == key else ()
            checks.append(MigrationCheck(instance.id, instance.topic, source_row.version, current,
                                         reason is None, reason, changes, names, deadlines))
    return checks


def migrate(kernel, key: str, to_version: int, instance_ids, actor,
            lang: str = "id") -> MigrationResult:
    """Move the chosen requests of ``key`` to ``to_version``, each in its own
    transaction under its optimistic lock, each audited."""
    require_analyst(actor)
    ids = _ids(instance_ids, lang)
    if not ids:
        raise InvalidData({"instance_ids": ["Pilih sedikitnya satu permohonan." if lang == "id"
                                            else "Choose at least one request."]})
    with kernel.db.reading() as session:
        version_row(session, key, to_version)  # NotFound before anything moves
    migrated, refused = [], []
    for instance_id in ids:
        try:
            _migrate_one(kernel, key, int(to_version), instance_id, actor)
            migrated.append(instance_id)
        except Refused as exc:
            refused.append(MigrationRefusal(instance_id, exc.message(lang)))
        except Conflict:  # lost to a command meanwhile
            refused.append(MigrationRefusal(instance_id, CHANGED_MEANWHILE.message(lang)))
    return MigrationResult(tuple(migrated), tuple(refused))


def _migrate_one(kernel, key: str, to_version: int, instance_id: str, actor) -> None:
    with kernel.command(instance_id) as cmd:
        session, instance = cmd.session, cmd.instance
        target_row = version_row(session, key, to_version)
        if instance is None:
            raise NOT_FOUND
        from_version = kernel.versions.row(session, instance.process_version_id).version
        moved = plan(kernel, session, instance, target_row)
        instance.process_version_id = target_row.id
        # titles and lanes may differ in the target: project the ready tasks again
        instance.facts = {**(instance.facts or {}), "tasks": None}
        audit.append(session, instance, at=cmd.now, type_="instance_migrated", actor=actor.username,
                     data={"process": key, "from_version": from_version, "to_version": to_version,
                           "current": list(moved.current),
                           **({"deadlines": {d.id: d.after.isoformat() for d in moved.deadlines}}
                              if moved.deadlines else {})})
        cmd.use(moved.workflow, kernel.versions.compiled(target_row))
