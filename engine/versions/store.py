"""Process versions: deploy (validate, store immutably, number) and load
(parse once per version, cached)."""
from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import bindparam, func, select

from engine.accounts.roles import lane_roles, learn_lanes
from engine.definitions.compiler import CompiledProcess, compile_process
from engine.storage.models import ProcessVersion
from engine.storage.prepared import Prepared

# built once: every start asks it (the id only: the row itself is immutable and cached)
_LATEST = Prepared(select(ProcessVersion.id).where(ProcessVersion.key == bindparam("key"))
                   .order_by(ProcessVersion.version.desc()).limit(1))


def read_bundle(bpmn_path: Path, forms_dir: Path) -> tuple[bytes, dict[str, bytes]]:
    """A BPMN file and every form file of a folder, as bytes."""
    forms = {p.name: p.read_bytes() for p in sorted(forms_dir.glob("*.json"))}
    return bpmn_path.read_bytes(), forms


class VersionStore:
    """Deploys and loads process versions; parsed specs are cached by version id."""

    def __init__(self, registry):
        self.registry = registry
        self._cache: dict[int, CompiledProcess] = {}
        self._rows: dict[int, ProcessVersion] = {}
        self._lock = threading.Lock()

    def deploy(self, session, bpmn: bytes, form_files: dict[str, bytes], *, actor: str | None,
               now) -> tuple[ProcessVersion, bool]:
        """Validate and store a new version; the same content deploys once.

        Returns the version row and whether it was created. Raises DeployError.
        """
        compiled = compile_process(bpmn, form_files, self.registry)
        existing = session.scalars(select(ProcessVersion).where(
            ProcessVersion.key == compiled.key, ProcessVersion.hash == compiled.hash)).first()
        if existing is not None:
            return existing, False
        latest = session.scalar(select(func.max(ProcessVersion.version))
                                .where(ProcessVersion.key == compiled.key)) or 0
        row = ProcessVersion(
            key=compiled.key, name=compiled.model.name, version=latest + 1, hash=compiled.hash,
            bpmn=bpmn, forms={k: v.decode("utf-8") for k, v in compiled.form_files.items()},
            deployed_at=now, deployed_by=actor)
        session.add(row)
        session.flush()
        learn_lanes(lane_roles(compiled.model))
        with self._lock:
            self._cache[row.id] = compiled
        return row, True

    def latest(self, session, key: str) -> ProcessVersion | None:
        """The newest version of ``key`` (the cached row, see ``row``)."""
        found = _LATEST.rows(session, {"key": key})
        version_id = found[0][0] if found else None
        return None if version_id is None else self.row(session, version_id)

    def all_latest(self, session) -> list[ProcessVersion]:
        """The newest version of every process key."""
        newest = (select(ProcessVersion.key, func.max(ProcessVersion.version).label("v"))
                  .group_by(ProcessVersion.key).subquery())
        return list(session.scalars(select(ProcessVersion).join(
            newest, (ProcessVersion.key == newest.c.key) & (ProcessVersion.version == newest.c.v))
            .order_by(ProcessVersion.key)))

    def row(self, session, version_id: int) -> ProcessVersion:
        """A version row (immutable, so cached once read)."""
        cached = self._rows.get(version_id)
        if cached is None:
            loaded = session.get_one(ProcessVersion, version_id)  # an instance's version always exists
            # a copy bound to no session: the loading session's rollback (a lost race)
            # would expire the row it loaded, and other threads could no longer read it
            cached = ProcessVersion(**{c.key: getattr(loaded, c.key) for c in ProcessVersion.__table__.columns})
            with self._lock:
                self._rows[version_id] = cached
        return cached

    def compiled_by_id(self, session, version_id: int) -> CompiledProcess:
        """The parsed process of version ``version_id``."""
        cached = self._cache.get(version_id)
        return cached if cached is not None else self.compiled(self.row(session, version_id))

    def compiled(self, row: ProcessVersion) -> CompiledProcess:
        """The parsed process of a stored version (parsed once)."""
        cached = self._cache.get(row.id)
        if cached is not None:
            return cached
        forms = {k: v.encode("utf-8") for k, v in row.forms.items()}
        compiled = compile_process(row.bpmn, forms, self.registry, filename=f"{row.key}.bpmn",
                                   lint_rules=False)
        learn_lanes(lane_roles(compiled.model))
        with self._lock:
            self._cache[row.id] = compiled
        return compiled
