"""The letters part of the facade: previews and downloads as PDF, the
disposition sheet, voiding a number, and the hook that runs steps 7-9 inside
their commands. Reached as ``engine.letters``; works with the kernel."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from engine.accounts import access
from engine.audit import chain as audit
from engine.errors import InvalidData, NotFound
from engine.definitions.forms import fill_defaults, validate
from engine.runtime.runner import task_data
from engine.storage.letter_models import LetterDocument
from engine.storage.models import AuditEvent, Instance, ReadyTaskRow, User
from engine.letters import approvals, disposition, numbering, page_images, rendering, task_letters
from engine.letters.archive import SqlArchive
from engine.letters.config import LetterSettings
from engine.letters.office import database_office
from engine.letters.verification import SqlVerifications
from engine.letters.press import LetterPress


class LetterOffices:
    """Makes the operators' letter port bound to a session (None: the worker's own sessions),
    rendering with ``press``; ``press`` also answers who signs without an office made."""

    def __init__(self, settings, db, press):
        self.settings, self.db, self.press = settings, db, press

    def __call__(self, session=None):
        settings = self.settings
        return database_office(settings.letters, settings.mail, settings.outbox_dir, self.press,
                               SqlArchive(self.db, session), SqlVerifications(self.db, session, settings.public_url))


class LetterDesk:
    """Letters of one engine."""

    def __init__(self, kernel, press: LetterPress | None = None):
        self.kernel = kernel
        self.press = press or LetterPress()

    @property
    def settings(self) -> LetterSettings:
        """The letter settings of the engine."""
        return self.kernel.settings.letters

    def office(self, session=None):
        """The operators' letter port, bound to ``session`` (None: the worker's own sessions)."""
        return self.kernel.letter_office(session)

    def before_complete(self, session, instance, task, element, data, actor, now) -> None:
        """Steps 7-9 inside their command (see ``approvals``)."""
        approvals.before_complete(self.office(session), session, instance, task, element, data, actor, now)

    # -- documents -------------------------------------------------------------

    def _instance(self, session, instance_id: str, actor, staff_only: bool) -> Instance:
        instance = session.get(Instance, str(instance_id))
        if instance is None:
            raise NotFound("no such request", "permohonan tidak ditemukan")
        access.require_instance(actor, instance.agency_id)
        if staff_only:
            access.require_role(actor, *access.STAFF_ROLES)
        return instance

    def _data(self, session, instance) -> tuple[dict, object]:
        workflow, process = self.kernel.peek(session, instance)
        return task_data(workflow), process

    def draft_pdf(self, instance_id: str, actor, draft: dict | None = None, lang: str = "id") -> bytes:
        """The response letter as a konsep PDF (staff): the saved draft (its stored konsep
        once the worker laid it out), or ``draft`` (the form's data being edited: a live
        preview, validated like the form, nothing stored)."""
        with self.kernel.db.reading() as session:
            instance = self._instance(session, instance_id, actor, staff_only=True)
            data, process = self._data(session, instance)
            if draft is not None:
                data = dict(data, **{approvals.DRAFT: self._checked_draft(process, data, draft, lang)})
            if not isinstance(data.get(approvals.DRAFT), dict):
                raise NotFound("the letter has no draft yet", "draf surat tanggapan belum ada")
            konsep = None if draft is not None else rendering.stored(
                session, instance.id, rendering.KONSEP, version=int(data.get("letter_version") or 1))
            if konsep is not None:  # the saved draft as the worker laid it out: what the Kabid approves
                return bytes(konsep.pdf)
            office = self.office(session)
            context = approvals.draft_context(office, data, office.archive.recipient(instance.id),
                                              self.kernel.clock.now())
        return self.press.pdf(approvals.KIND, context)

    def task_document(self, task_id: str, actor) -> rendering.DocumentState | None:
        """The state of the document a ready review task (T08, T09) is about: its konsep
        ``ready``, ``pending`` (sedang disiapkan) or ``failed``; None for other tasks. A konsep
        nobody queued (a draft older than the worker's layouts) is queued here."""
        with self.kernel.db.reading() as session:
            row = session.get(ReadyTaskRow, str(task_id))
            if row is None or row.form_key not in (approvals.KABID, approvals.KADIS):
                return None
            access.require_instance(actor, row.agency_id)
            workflow, _ = self.kernel.peek(session, session.get(Instance, row.instance_id))
            version = int(task_data(workflow).get("letter_version") or 1)
            state = rendering.state(session, row.instance_id, rendering.KONSEP, version=version)
        if state.state != "missing":
            return state
        # drafted before layouts moved to the worker: queue its konsep now (a job row, no
        # instance write), so the review is never left waiting for a layout nobody asked for
        with self.kernel.db.transaction() as session:
            rendering.queue(session, row.instance_id, rendering.KONSEP, self.kernel.clock.now(), supersede=False)
        self.kernel.work_signal.set()
        return dataclasses.replace(state, state="pending")

    def task_letter(self, task_id: str, actor) -> task_letters.TaskLetterView | None:
        """The letter a ready task is about, as its page shows it (T08, T09: the konsep,
        staff only; T10: the sent letter); None for other tasks."""
        with self.kernel.db.reading() as session:
            row = session.get(ReadyTaskRow, str(task_id))
            action = task_letters.action_of(row.form_key if row is not None else None)
            if row is None or action is None:
                return None
            access.require_instance(actor, row.agency_id)
            if action == "receive":
                return task_letters.sent(session, session.get(Instance, row.instance_id))
            access.require_role(actor, *access.STAFF_ROLES)
        state = self.task_document(task_id, actor)
        with self.kernel.db.reading() as session:
            return task_letters.konsep(session, action, state) if state is not None else None

    def task_letter_page(self, task_id: str, document_id: int, page: int, actor) -> bytes:
        """One page image of the letter a ready task is about (NotFound: not that
        task's letter, or no such page)."""
        shown = self.task_letter(task_id, actor)
        if shown is None or shown.document_id != document_id or page not in {p for p, _w, _h in shown.pages}:
            raise NotFound("no such page", "halaman tidak ditemukan")
        with self.kernel.db.reading() as session:
            png = page_images.image(session, document_id, page)
        if png is None:
            raise NotFound("no such page", "halaman tidak ditemukan")
        return png

    @staticmethod
    def _checked_draft(process, data: dict, draft, lang: str) -> dict:
        form = process.forms.get(approvals.DRAFT)
        if form is None or not isinstance(draft, dict):
            message = "Data draf tidak valid." if lang == "id" else "Invalid draft data."
            raise InvalidData({"data": [message]})
        filled = fill_defaults(form, draft, data.get(approvals.DRAFT))
        errors = validate(form, filled, lang)
        if errors:
            raise InvalidData(errors)
        return filled

    def sent_pdf(self, instance_id: str, letter_id: int, actor) -> bytes:
        """A letter sent to the agency (staff and the requesting agency)."""
        with self.kernel.db.reading() as session:
            instance = self._instance(session, instance_id, actor, staff_only=False)
            sent = {x.get("id") for x in (instance.facts or {}).get("letters", [])}
            row = session.get(LetterDocument, int(letter_id)) if int(letter_id) in sent else None
            if row is None or row.instance_id != instance.id:
                raise NotFound("no such letter", "surat tidak ditemukan")
            return bytes(row.pdf)

    def disposition_pdf(self, instance_id: str, actor) -> bytes:
        """The disposition sheet of a request (staff)."""
        with self.kernel.db.reading() as session:
            instance = self._instance(session, instance_id, actor, staff_only=True)
            data, process = self._data(session, instance)
            rows = self._disposition_rows(session, instance, data, process)
            recipient = SqlArchive(self.kernel.db, session).recipient(instance.id)
            context = disposition.sheet(data, self.settings, agency=recipient.name or "-",
                                        received=instance.created_at, register=instance.id[:8].upper(),
                                        rows=rows)
        return self.press.pdf("lembar_disposisi", context)

    def _disposition_rows(self, session, instance, data, process) -> list[dict]:
        rows = []
        for variable in disposition.CHAIN:
            if not isinstance(data.get(variable), dict):
                continue
            elements = [e.id for e in process.model.elements.values() if e.variable == variable]
            event = session.scalars(select(AuditEvent).where(
                AuditEvent.instance_id == instance.id, AuditEvent.type == "task_completed",
                AuditEvent.task.in_(elements)).order_by(AuditEvent.seq.desc())).first()
            name = session.scalar(select(User.full_name).where(User.username == event.actor)) \
                if event is not None else None
            rows.append(disposition.disposition_row(
                variable, data[variable], disposition.instruction_choices(process.forms, variable),
                event.at if event else None, name or (event.actor if event else None),
                _behalf(session, event)))
        return rows

    # -- register ----------------------------------------------------------------

    def void_number(self, number: str, reason: str, actor) -> None:
        """Void a letter number (Kadis or admin); it stays in the register, never given again."""
        access.require_role(actor, "kadis", "admin")

        def instance_of_number(session):
            row = numbering.void(session, number, by=actor.username, reason=reason, now=self.kernel.clock.now())
            if row is None:
                raise NotFound("no such letter number", "nomor surat tidak ditemukan")
            return session.get(Instance, row.instance_id)

        with self.kernel.command(instance_of_number) as cmd:
            audit.append(cmd.session, cmd.instance, at=cmd.now, type_="letter_number_voided",
                         actor=actor.username, data={"number": number, "reason": reason})

    def register(self, year: int) -> list[dict]:
        """The numbers of a year, voided ones included, in order."""
        with self.kernel.db.reading() as session:
            return [{"number": r.number, "seq": r.seq, "instance_id": r.instance_id,
                     "assigned_at": r.assigned_at, "assigned_by": r.assigned_by, "voided_at": r.voided_at,
                     "void_reason": r.void_reason}
                    for r in numbering.register(session, year, self.settings.unit)]


def _behalf(session, event) -> str:
    """The "a.n." words of a disposition an acting official completed for an official."""
    official = event.on_behalf_of if event is not None else None
    if not official or official.startswith("agency:"):
        return ""
    position = session.scalar(select(User.position).where(User.username == official))
    return disposition.behalf_words(position or official)
