"""A request's public tracking link: an unguessable token that shows, without
signing in, where the request stands and, once fulfilled, how to join the
meeting and the response letter. Never the host's start link, notes, names
of officials or anything of another request."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from engine.accounts import access
from engine.requests import queries, stages
from engine.accounts.views import TrackingView
from engine.errors import NotFound
from engine.storage.account_models import TrackingLink
from engine.storage.letter_models import LetterDocument
from engine.storage.models import Agency, AuditEvent, Instance, ReadyTaskRow
from engine.views import Actor

TOKEN_BYTES = 32  # 43 URL-safe characters, 256 bits
SHOWN_EVENTS = ("instance_started", "task_completed", "instance_completed", "withdrawn",
                "meeting_rescheduled", "request_expired")
PUBLIC_LETTERS = ("surat_tanggapan",)
TRACKER = "tracking-link"


def _not_found() -> NotFound:
    return NotFound("no such tracking link", "tautan pelacakan tidak ditemukan")


def _owner(instance: Instance) -> Actor:
    """The requesting agency, as whom the public page reads the request."""
    return Actor(TRACKER, frozenset({"opd"}), instance.agency_id)


class Tracking:
    """Tracking tokens and the public view (the engine's ``tracking``)."""

    def __init__(self, kernel):
        self.kernel = kernel

    def token_for(self, instance_id: str, actor) -> str:
        """The request's token, made on first use (the requesting agency and staff)."""
        db = self.kernel.db
        with db.reading() as session:
            instance = session.get(Instance, str(instance_id))
            if instance is None:
                raise NotFound("no such request", "permohonan tidak ditemukan")
            access.require_instance(actor, instance.agency_id)
            token = session.scalar(select(TrackingLink.token).where(TrackingLink.instance_id == instance.id))
        if token:
            return token
        try:
            with db.transaction() as session:
                token = secrets.token_urlsafe(TOKEN_BYTES)
                session.add(TrackingLink(instance_id=str(instance_id), token=token,
                                         created_at=self.kernel.clock.now(), created_by=actor.username))
            return token
        except IntegrityError:  # made meanwhile by another page view: use that one
            with db.reading() as session:
                return session.scalar(select(TrackingLink.token).where(TrackingLink.instance_id == str(instance_id)))

    def view(self, token: str) -> TrackingView:
        """What the public page shows for ``token``; NotFound for an unknown one."""
        with self.kernel.db.reading() as session:
            instance = self._instance(session, token)
            agency = session.get(Agency, instance.agency_id) if instance.agency_id else None
            tasks = session.scalars(select(ReadyTaskRow).where(ReadyTaskRow.instance_id == instance.id)
                                    .order_by(ReadyTaskRow.created_at)).all()
            events = session.execute(select(AuditEvent.at, AuditEvent.type, AuditEvent.task, AuditEvent.lane)
                                     .where(AuditEvent.instance_id == instance.id,
                                            AuditEvent.type.in_(SHOWN_EVENTS))
                                     .order_by(AuditEvent.seq)).all()
            facts = instance.facts or {}
            letters = [x for x in facts.get("letters", []) if x.get("kind") in PUBLIC_LETTERS and x.get("id")]
            meeting = access.visible_meeting(_owner(instance), facts.get("meeting"), bool(letters))
            owner = _owner(instance)
            return TrackingView(
                instance.topic, agency.name if agency else "", instance.status, instance.outcome,
                instance.meeting_start, [queries.task_view(r, owner) for r in tasks],
                [(at, type_, task, lane) for at, type_, task, lane in events],
                {k: meeting.get(k) for k in ("meeting_id", "passcode", "join_url")} if meeting else None,
                [(x["id"], x["kind"], x.get("number"), datetime.fromisoformat(x["sent_at"])) for x in letters],
                self._titles(session, instance), self._stage(session, instance, tasks))

    @staticmethod
    def _stage(session, instance: Instance, tasks):
        _, jobs = stages.open_work(session, [instance.id])
        return stages.stage_of(instance.status, instance.outcome, tasks, jobs[instance.id], None)

    def _titles(self, session, instance: Instance) -> dict:
        """Element id -> (name, English name) of the steps of the instance's process version."""
        model = self.kernel.versions.compiled_by_id(session, instance.process_version_id).model
        return {e.id: (e.name, e.name_en) for e in model.elements.values() if e.name}

    def letter_pdf(self, token: str, letter_id: int) -> bytes:
        """The response letter of the token's request as a PDF; NotFound otherwise."""
        with self.kernel.db.reading() as session:
            instance = self._instance(session, token)
            public = {x.get("id") for x in (instance.facts or {}).get("letters", [])
                      if x.get("kind") in PUBLIC_LETTERS}
            row = session.get(LetterDocument, int(letter_id)) if int(letter_id) in public else None
            if row is None or row.instance_id != instance.id:
                raise _not_found()
            return bytes(row.pdf)

    @staticmethod
    def _instance(session, token: str) -> Instance:
        if not isinstance(token, str) or not 20 <= len(token) <= 64:
            raise _not_found()
        link = session.scalars(select(TrackingLink).where(TrackingLink.token == token)).first()
        # the database finds the row by its unique index; comparing again in
        # constant time keeps a near-miss from answering any faster
        if link is None or not secrets.compare_digest(link.token, token):
            raise _not_found()
        return session.get(Instance, link.instance_id)
