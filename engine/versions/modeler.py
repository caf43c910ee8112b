"""What the browser modeler needs from the engine: a version's or a draft's
source, the catalogue its side panel chooses from, validation, drafts (saved
even with problems) and deploys (refused with problems)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from engine.accounts import access
from engine.calendar.durations import PATTERN as DURATION_PATTERN
from engine.errors import InvalidData, NotFound
from engine.definitions.problems import DeployError, Problem
from engine.versions import upload
from engine.versions.upload import process_key
from engine.accounts.roles import LANE_ROLES
from engine.storage.draft_models import ProcessDraft
from engine.storage.models import ProcessVersion

MODELER_ROLES = ("analyst", "admin")


@dataclass(frozen=True)
class ModelSource:
    """A process model opened in the modeler: a stored version or a draft."""

    key: str
    version: int | None
    draft_id: int | None
    bpmn: str
    forms: dict


@dataclass(frozen=True)
class DraftView:
    """A saved draft, with the problems found when it was saved."""

    id: int
    key: str
    saved_by: str
    saved_at: object
    problems: list


@dataclass(frozen=True)
class OperatorInfo:
    """A registered service operator, as the side panel offers it."""

    name: str
    description: str
    external: bool


@dataclass(frozen=True)
class ModelerCatalogue:
    """What the side panel chooses from."""

    operators: list
    form_files: list
    lanes: list
    versions: list
    duration_pattern: str = DURATION_PATTERN  # the time standards' grammar, for the panel's own check


class Modeler:
    """The modeler's commands and queries over an Engine (analysts and admins only)."""

    def __init__(self, engine):
        self.kernel = getattr(engine, "kernel", engine)  # built with the facade (the API) or a kernel

    def source(self, key: str, actor, version: int | None = None, draft_id: int | None = None) -> ModelSource:
        """The BPMN and forms of version ``version`` (default the newest) or of a draft."""
        access.require_role(actor, *MODELER_ROLES)
        with self.kernel.db.reading() as session:
            if draft_id is not None:
                draft = session.get(ProcessDraft, draft_id)
                if draft is None or draft.key != key:
                    raise NotFound("no such draft", "draf tidak ditemukan")
                return ModelSource(key, None, draft.id, draft.bpmn.decode("utf-8"), dict(draft.forms))
            row = self._version(session, key, version)
            return ModelSource(key, row.version, None, row.bpmn.decode("utf-8"), dict(row.forms))

    def catalogue(self, key: str, actor) -> ModelerCatalogue:
        """Registered operators, the form files known (bundled and of the newest
        version), the role lanes and the stored version numbers."""
        access.require_role(actor, *MODELER_ROLES)
        registry = self.kernel.registry
        operators = [OperatorInfo(n, registry.get(n).description, registry.get(n).external)
                     for n in registry.names()]
        with self.kernel.db.reading() as session:
            latest = self._version(session, key, None)
            versions = list(session.scalars(select(ProcessVersion.version).where(
                ProcessVersion.key == key).order_by(ProcessVersion.version.desc())))
        files = sorted(set(self._bundled_forms()) | set(latest.forms))
        return ModelerCatalogue(operators, files, list(LANE_ROLES), versions)

    def validate(self, key: str, bpmn: bytes, forms: dict, actor) -> list[Problem]:
        """Every problem of the model (XSD, lint, forms, parser, process key)."""
        access.require_role(actor, *MODELER_ROLES)
        return self._problems(key, bpmn, self._form_files(forms))

    def save_draft(self, key: str, bpmn: bytes, forms: dict, actor) -> DraftView:
        """Store a draft whatever its problems; the problems are kept with it."""
        access.require_role(actor, *MODELER_ROLES)
        problems = self._problems(key, bpmn, self._form_files(forms))
        with self.kernel.db.transaction() as session:
            self._version(session, key, None)  # drafts only of an existing process
            row = ProcessDraft(key=key, bpmn=bpmn, forms=dict(forms), saved_by=actor.username,
                               saved_at=self.kernel.clock.now(),
                               problems=[[p.element_id, p.message_id, p.message_en] for p in problems])
            session.add(row)
            session.flush()
            return _draft_view(row)

    def drafts(self, key: str, actor, limit: int = 10) -> list[DraftView]:
        """The newest drafts of ``key``, newest first."""
        access.require_role(actor, *MODELER_ROLES)
        with self.kernel.db.reading() as session:
            rows = session.scalars(select(ProcessDraft).where(ProcessDraft.key == key)
                                   .order_by(ProcessDraft.saved_at.desc(), ProcessDraft.id.desc())
                                   .limit(limit))
            return [_draft_view(r) for r in rows]

    def deploy(self, key: str, bpmn: bytes, forms: dict, actor):
        """Deploy a new version (a DeployedVersion, ``created`` False when the same
        content exists already). DeployError with the problems: nothing stored."""
        access.require_role(actor, *MODELER_ROLES)
        problems = self._problems(key, bpmn, self._form_files(forms))
        if problems:
            raise DeployError(problems)
        return upload.deploy(self.kernel, bpmn, self._form_files(forms), actor)

    # -- helpers ------------------------------------------------------------------

    def _problems(self, key: str, bpmn: bytes, form_files: dict) -> list[Problem]:
        return list(upload.validate(self.kernel, bpmn, form_files)) or _key_problems(key, bpmn)

    def _bundled_forms(self) -> list[str]:
        return [p.name for p in sorted(self.kernel.settings.forms_dir.glob("*.json"))]

    @staticmethod
    def _form_files(forms: dict) -> dict[str, bytes]:
        """The posted forms as bytes (the engine adds the stored and bundled ones)."""
        if not isinstance(forms, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in forms.items()):
            raise InvalidData({"forms": ["formulir harus berkas .json bernama / forms must be named .json files"]})
        return {name: text.encode("utf-8") for name, text in forms.items()}

    @staticmethod
    def _version(session, key: str, version: int | None) -> ProcessVersion:
        query = select(ProcessVersion).where(ProcessVersion.key == key)
        query = query.where(ProcessVersion.version == version) if version is not None else \
            query.order_by(ProcessVersion.version.desc())
        row = session.scalars(query).first()
        if row is None:
            raise NotFound("no such process version", "versi proses tidak ditemukan")
        return row


def _key_problems(key: str, bpmn: bytes) -> list[Problem]:
    """A model deployed from a process's modeler must keep that process's id."""
    process_id = process_key(bpmn)
    if process_id is None or process_id == key:
        return []  # unreadable files are reported by the validation
    return [Problem(process_id, f"id proses '{process_id}' harus tetap '{key}'",
                    f"the process id '{process_id}' must stay '{key}'")]


def _draft_view(row: ProcessDraft) -> DraftView:
    return DraftView(row.id, row.key, row.saved_by, row.saved_at,
                     [Problem(*p) for p in row.problems])
