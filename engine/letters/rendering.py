"""The response letter's documents are laid out by the worker, after commit.

The Subkoordinator's draft (T07) queues the konsep's layout; the Kadis's
signature (T09) queues the final letter's, with the number the signing
command took. Each is a job of the instance (``@letter/konsep``,
``@letter/final``) run through the worker's journal, so a layout that fails is
retried and then becomes an incident an admin can retry. The stored PDF's
SHA-256 goes into the audit chain (``letter_rendered``); the Kabid's approval
names the hash of exactly that stored konsep, and the dispatch sends the stored
final letter without laying it out again.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update

from engine.audit import chain as audit
from engine.errors import Conflict, EngineError
from engine.letters import content, page_images, verification
from engine.letters.signer import signature_block
from engine.runtime import facts
from engine.runtime.operators import OperatorContext
from engine.runtime.runner import ExternalCall, task_data
from engine.runtime.unit_of_work import queue_jobs
from engine.storage.letter_models import LetterDocument
from engine.storage.models import Job
from engine.storage.prepared import Prepared, attached, attributes

KIND = "surat_tanggapan"
OPERATOR = "letter/render"
DISPATCH = "letter/dispatch"
KONSEP, FINAL = "konsep", "final"
ELEMENTS = {KONSEP: "@letter/konsep", FINAL: "@letter/final"}  # jobs of the instance, not of a BPMN element
STORED_STAGE = {KONSEP: "konsep", FINAL: "kadis"}  # ``letter_documents.stage``
# found as a konsep too: the one an approval stored when layouts were still made inside it
FOUND_STAGES = {KONSEP: ("konsep", "kabid"), FINAL: ("kadis",)}
SIGN_REASON = "Surat tanggapan fasilitasi Zoom Meeting"
NOT_READY = ("the letter is still being prepared; try again in a few seconds",
             "dokumen surat sedang disiapkan; coba lagi beberapa detik lagi")
FAILED = ("the letter could not be prepared; an administrator must retry its incident",
          "dokumen surat gagal disiapkan; administrator perlu mengulang insidennya")


# built once: a second draft cancels the layout of the first when not started yet
_JOBS = cast(Table, Job.__table__)
_SUPERSEDE = Prepared(update(_JOBS).where(_JOBS.c.instance_id == bindparam("of_instance"),
                                           _JOBS.c.element_id == bindparam("of_element"), _JOBS.c.status == "pending")
                      .values(status="cancelled", updated_at=bindparam("now")))


@dataclass(frozen=True)
class DocumentState:
    """Where a letter document stands: ``ready`` (stored, with its hash), ``pending``
    (the worker is laying it out), ``failed`` (an incident) or ``missing``."""

    stage: str
    version: int
    state: str
    sha256: str | None = None
    document_id: int | None = None
    number: str | None = None


def queue(session, instance_id: str, stage: str, now: datetime, supersede: bool = True) -> str:
    """Queue the layout of ``stage`` (inside the command's transaction); ``supersede``: cancel
    an earlier one of the same stage not yet started. The job's task id."""
    element = ELEMENTS[stage]
    if supersede:
        _SUPERSEDE.run(session, {"of_instance": instance_id, "of_element": element, "now": now}, later=True)
    task_id = str(uuid.uuid4())
    queue_jobs(session, instance_id, [(task_id, element, OPERATOR)], now)
    return task_id


_COLUMNS_BUT_PDF = tuple(name for name in attributes(LetterDocument) if name != "pdf")


def _stored_query(stages: tuple, by_version: bool, by_number: bool) -> Prepared:
    # the PDF is read when used (a preview), not by the review and signature that check the row
    query = select(*(getattr(LetterDocument, name) for name in _COLUMNS_BUT_PDF)).where(
        LetterDocument.instance_id == bindparam("instance_id"), LetterDocument.kind == KIND,
        or_(*(LetterDocument.stage == one for one in stages)))
    if by_version:
        query = query.where(LetterDocument.version == bindparam("version"))
    if by_number:
        query = query.where(LetterDocument.number == bindparam("number"))
    return Prepared(query.order_by(LetterDocument.id.desc()).limit(1))


# built once, one per stage and filter (the review and the signature ask on every command); read on
# the driver, so a command's BEGIN goes with it
_STORED = {(stage, v, n): _stored_query(stages, v, n)
           for stage, stages in FOUND_STAGES.items() for v in (False, True) for n in (False, True)}


def stored(session, instance_id: str, stage: str, *, version: int | None = None,
           number: str | None = None) -> LetterDocument | None:
    """The newest stored document of ``stage`` for that version (konsep) or number (final)."""
    values: dict[str, object] = {"instance_id": instance_id}
    if version is not None:
        values["version"] = version
    if number is not None:
        values["number"] = number
    found = _STORED[stage, version is not None, number is not None].rows(session, values)
    if not found:
        return None
    document = attached(session, LetterDocument, dict(zip(_COLUMNS_BUT_PDF, found[0])))
    if "pdf" not in document.__dict__:
        session.expire(document, ["pdf"])  # read from the database when asked for
    return document


def state(session, instance_id: str, stage: str, *, version: int, number: str | None = None) -> DocumentState:
    """The state of the konsep of ``version`` (or the final letter numbered ``number``).

    A document is ready once its job is over: between storing the PDF and recording it
    in the chain the job still makes the page images and then writes the instance, so
    a decision taken in that moment would lose the race to it (409)."""
    row = stored(session, instance_id, stage, version=version, number=number)
    job = session.scalars(select(Job.status).where(Job.instance_id == instance_id,
                                                   Job.element_id == ELEMENTS[stage])
                          .order_by(Job.id.desc()).limit(1)).first()
    if row is not None and job not in ("pending", "running"):
        return DocumentState(stage, version, "ready", row.sha256, row.id, row.number)
    found = {"incident": "failed", "pending": "pending", "running": "pending"}.get(job or "", "missing")
    return DocumentState(stage, version, found, number=number)


@dataclass(frozen=True)
class Konsep:
    """A stored konsep, as its approval names it."""

    id: int
    version: int
    sha256: str


def require_konsep(session, instance, version: int) -> Konsep:
    """The stored konsep of ``version``; Conflict while it is not laid out (never approved blind).
    Known from the instance's facts once its layout was recorded (``RenderJob.apply``), else read."""
    known = (instance.facts or {}).get(facts.KONSEP)
    if known and known.get("version") == version:
        return Konsep(known["document_id"], version, known["sha256"])
    row = stored(session, instance.id, KONSEP, version=version)
    if row is None:
        failed = state(session, instance.id, KONSEP, version=version).state == "failed"
        raise Conflict(*(FAILED if failed else NOT_READY))
    return Konsep(row.id, row.version, row.sha256)


def render_letter(ctx, stage: str, version: int = 1, number: str | None = None,
                  signer: dict | None = None) -> dict:
    """Operator ``letter/render``: lay out the konsep or the signed letter from the
    instance's data and store it under the job's key (a retry stores nothing twice).
    The final letter names ``signer`` (who signed T09) and is signed by the provider
    right after its layout: the signed PDF is what is stored, hashed, mailed."""
    office = ctx.ports.letters
    recipient = office.archive.recipient(ctx.instance_id)
    context = content.response_letter(ctx.data, office.settings, recipient, now=ctx.now, number=number,
                                      signed=stage == FINAL)
    if signer:
        context["signer"] = signer
    entry = None  # the konsep carries its KONSEP mark, never a QR
    if stage == FINAL:
        entry = verification.prepare(office, verification.issue_of(
            KIND, ctx.idempotency_key, ctx.instance_id, context, recipient.name, ctx.now), ctx.now)
        context["verification"] = entry
    pdf, signature = _signed(ctx, context) if stage == FINAL else (office.press.pdf(KIND, context), None)
    doc = office.archive.store(instance_id=ctx.instance_id, kind=KIND, stage=STORED_STAGE[stage],
                               pdf=pdf, now=ctx.now, number=number,
                               version=version, key=ctx.idempotency_key)
    verification.record(office, entry, doc)
    if office.press.page_images:  # the pages review and receipt show, never made on a GET
        page_images.keep(office.archive, doc)
    result = {"stage": stage, "version": version, "number": number, "document_id": doc.id,
              "sha256": doc.sha256}
    return dict(result, signature=signature) if signature else result


def _signed(ctx, context: dict) -> tuple[bytes, dict]:
    """The final letter laid out, then signed by the provider over its signature blank
    (in the worker, outside any transaction); what the audit records of the signature."""
    press = ctx.ports.letters.press
    if press.signature.name == "none":  # nothing to sign: no need to know where a signature stands
        return press.pdf(KIND, context), {"provider": "none", "signed": False}
    pdf, seal = press.layout(KIND, context)
    name = str(context["signer"].get("name") or "")
    signed = press.signature.sign(pdf, signer="" if "BELUM DIATUR" in name else name, reason=SIGN_REASON,
                                  idempotency_key=ctx.idempotency_key, seal=seal)
    return signed.pdf, {"provider": signed.provider, "signed": signed.signed}


class RenderJob:
    """How the worker runs a layout job of ``stage``: its call, and applying its result."""

    operator = OPERATOR

    def __init__(self, stage: str):
        self.stage, self.element = stage, ELEMENTS[stage]

    def call(self, kernel, job, instance) -> ExternalCall:
        """The call, from the instance's data as committed (EngineError: nothing to lay out)."""
        with kernel.db.reading() as session:
            workflow, _ = kernel.peek(session, instance)
            data = task_data(workflow)
        params: dict[str, object]
        if self.stage == KONSEP:
            params, now = {"version": int(data.get("letter_version") or 1)}, job.created_at
        else:
            signed = data.get("signed_letter") or {}
            if not signed.get("number"):
                raise EngineError("the letter is not signed", "surat belum ditandatangani")
            with kernel.db.reading() as session:
                block = signature_block(session, kernel.settings.letters, signed)
            params = {"version": int(signed.get("version") or 1), "number": signed["number"], "signer": block}
            now = datetime.fromisoformat(signed["signed_at"])
        context = OperatorContext(instance_id=instance.id, task_id=job.task_id, element_id=self.element,
                                  now=now, idempotency_key=f"{instance.id}:{job.task_id}", data=data,
                                  ports=kernel.ports(None))
        return ExternalCall(job.task_id, self.element, OPERATOR, dict(params, stage=self.stage), context)

    def apply(self, kernel, cmd, job, outcome: str, payload: dict) -> str:
        """The stored document's hash into the audit chain; the job's status."""
        if outcome != "result":
            return "unhandled"
        audit.append(cmd.session, cmd.instance, at=cmd.now, type_="letter_rendered", actor=cmd.actor,
                     task=self.element, task_id=job.task_id, data=dict(payload))
        if self.stage == FINAL:
            _release_dispatch(cmd)
        else:  # the review finds it here, with no read of its own
            cmd.instance.facts = dict(cmd.instance.facts or {}, **{facts.KONSEP: {
                "version": payload["version"], "document_id": payload["document_id"], "sha256": payload["sha256"]}})
        job.status, job.updated_at = "done", cmd.now
        return job.status


def _release_dispatch(cmd) -> None:
    """A dispatch that waited for the final letter goes now, even one whose waiting ran
    out into an incident (the request leaves its error state as an admin's retry would)."""
    waiting = cmd.session.scalars(select(Job).where(
        Job.instance_id == cmd.instance.id, Job.operator == DISPATCH, Job.status.in_(("pending", "incident"))))
    for dispatch in waiting:
        if dispatch.status == "incident" and cmd.instance.status == "error":
            cmd.instance.status = "running"
        dispatch.status, dispatch.attempts = "pending", 0
        dispatch.next_attempt_at = dispatch.updated_at = cmd.now


JOBS = {job.element: job for job in (RenderJob(KONSEP), RenderJob(FINAL))}
