"""Personal data of requests under UU 27/2022: kept ``retention_days`` after
the meeting, then erased; exported or erased for one person on request.

An account whose e-mail or NIK is the person's is exported with its signer's NIK,
and erasure clears that NIK (the account itself, named in audit trails, stays).

Erasing one request removes its contact's values from the instance state and
facts, from the service journal and the outbox files of the request, and
from its audit events (commitments lose value and salt; the chain verifies
as before; see ``engine.audit``). The erasure is an audit event itself,
without the values.
"""
from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta

from sqlalchemy import Text, cast, func, or_, select

from engine.accounts import access
from engine.audit import chain as audit
from engine.audit import personal_data as pd
from engine.errors import InvalidData
from engine.storage import packing
from engine.storage.account_models import AccountEvent
from engine.storage.models import Agency, AuditEvent, Instance, ServiceCall, User

log = logging.getLogger("vicon.privacy")
SWEEP_BATCH = 100


class PersonalData:
    """Retention sweep, export and erasure for one engine."""

    def __init__(self, kernel):
        self.kernel = kernel
        self._last = None
        self._lock = threading.Lock()

    # -- retention ------------------------------------------------------------

    def sweep_if_due(self) -> int:
        """Run ``sweep`` at most once per ``retention_sweep_seconds`` in this process."""
        now = self.kernel.clock.now()
        with self._lock:
            interval = timedelta(seconds=self.kernel.settings.retention_sweep_seconds)
            if self._last is not None and now - self._last < interval:
                return 0
            self._last = now
        return self.sweep()

    def sweep(self, limit: int = SWEEP_BATCH) -> int:
        """Erase the personal data of up to ``limit`` requests whose meeting is
        more than the retention period ago; return how many were erased."""
        now = self.kernel.clock.now()
        cutoff = now - timedelta(days=self.kernel.settings.retention_days)
        with self.kernel.db.reading() as session:
            ids = session.scalars(select(Instance.id).where(
                or_(Instance.meeting_start <= cutoff,
                    Instance.meeting_start.is_(None) & (Instance.created_at <= cutoff)),
                or_(Instance.personal_erased_at.is_(None),
                    Instance.personal_erased_at < Instance.updated_at)).limit(limit)).all()
        erased = sum(self._erase(instance_id, "retention", "system:retention") for instance_id in ids)
        if erased:
            log.info("retention: personal data of %d request(s) erased", erased)
        return erased

    # -- on request -----------------------------------------------------------

    def export(self, needle: str, actor, lang: str = "id") -> dict:
        """Every request and audit event holding the e-mail or phone ``needle`` (admin only)."""
        access.require_role(actor, "admin")
        needle = _checked(needle, lang)
        with self.kernel.db.reading() as session:
            requests = [self._exported(session, session.get(Instance, i), needle)
                        for i in self._holding(session, needle)]
            accounts = [{"username": u.username, "full_name": u.full_name, "position": u.position,
                         "nip": u.nip, "nik": u.nik, "email": u.email} for u in _accounts(session, needle)]
        return {"query": needle, "requests": requests, "accounts": accounts}

    def erase(self, needle: str, actor, lang: str = "id") -> list[str]:
        """Erase the personal data of every request holding ``needle`` (admin only);
        return the ids of the requests erased."""
        access.require_role(actor, "admin")
        needle = _checked(needle, lang)
        with self.kernel.db.reading() as session:
            ids = self._holding(session, needle)
        erased = [i for i in ids if self._erase(i, "request", actor.username)]
        self._erase_nik(needle, actor.username)
        return erased

    def _erase_nik(self, needle: str, actor: str) -> None:
        """Clear the signer's NIK of the accounts that are the person's (logged without it)."""
        with self.kernel.db.transaction() as session:
            for user in _accounts(session, needle):
                if user.nik:
                    user.nik = None
                    session.add(AccountEvent(at=self.kernel.clock.now(), actor=actor, target=f"user:{user.username}",
                                             action="nik_erased", data={}))

    def _holding(self, session, needle: str) -> list[str]:
        term = f"%{needle if '@' in needle else pd.normal_phone(needle)[-4:]}%"
        candidates = set(session.scalars(select(Instance.id).where(cast(Instance.facts, Text).ilike(term))))
        candidates |= set(session.scalars(select(AuditEvent.instance_id).distinct()
                                          .where(cast(AuditEvent.data, Text).ilike(term))))
        found = []
        for instance_id in sorted(candidates):
            instance = session.get(Instance, instance_id)
            values = pd.values_in(instance.facts) | self._event_values(session, instance_id)
            if any(pd.matches(v, needle) for v in values):
                found.append(instance_id)
        return found

    @staticmethod
    def _event_values(session, instance_id: str) -> set[str]:
        rows = session.scalars(select(AuditEvent.data).where(AuditEvent.instance_id == instance_id))
        return set().union(*(pd.values_in(data) for data in rows))

    def _exported(self, session, instance: Instance, needle: str) -> dict:
        agency = session.get(Agency, instance.agency_id) if instance.agency_id else None
        request = (instance.facts or {}).get("request") or {}
        events = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance.id)
                                 .order_by(AuditEvent.seq))
        return {
            "id": instance.id, "agency": agency.code if agency else None, "topic": instance.topic,
            "status": instance.status, "outcome": instance.outcome,
            "meeting_start": _iso(instance.meeting_start), "created_at": _iso(instance.created_at),
            "contact": {k: request[k] for k in pd.FIELDS if k in request},
            "events": [{"seq": e.seq, "at": _iso(e.at), "type": e.type, "actor": e.actor, "task": e.task,
                        "data": pd.reveal(e.data)}
                       for e in events if any(pd.matches(v, needle) for v in pd.values_in(e.data))],
        }

    # -- erasing one request --------------------------------------------------

    def _erase(self, instance_id: str, reason: str, actor: str) -> bool:
        kernel = self.kernel

        def locked(session):
            return session.scalars(kernel.db.locking(select(Instance).where(Instance.id == instance_id))).first()

        with kernel.command(locked) as cmd:
            session, instance, now = cmd.session, cmd.instance, cmd.now
            if instance is None:
                return False
            chain_ok = audit.verify(session, instance_id).ok
            events = session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance_id)
                                     .order_by(AuditEvent.seq)).all()
            state = json.loads(packing.unpacked(instance.state)) if instance.state else None
            values = pd.values_in(instance.facts) | pd.values_in(state) | \
                set().union(*(pd.values_in(e.data) for e in events))
            self._scrub_outbox(instance_id, values)
            if state is not None:
                instance.state = packing.packed(json.dumps(pd.scrub(state, values)).encode("utf-8"))
            instance.facts = pd.scrub(instance.facts or {}, values)
            legacy = _erase_events(events, values, vouch=chain_ok)
            for call in session.scalars(select(ServiceCall).where(ServiceCall.key.like(f"{instance_id}:%"))):
                call.payload = pd.scrub(call.payload, values)
            audit.append(session, instance, at=now, type_=audit.ERASURE, actor=actor,
                         data={"reason": reason, "values": len(values), "legacy_events": legacy})
            instance.personal_erased_at = now
        kernel.live.forget(instance_id)
        return True

    def _scrub_outbox(self, instance_id: str, values: set[str]) -> None:
        """The mail files of the request written to the outbox folder."""
        folder = self.kernel.settings.outbox_dir
        traceable = [v for v in values if "@" in v or len(pd.normal_phone(v)) >= 6]
        if not folder.is_dir() or not traceable:
            return
        for path in folder.glob(f"*{instance_id}*"):
            content = path.read_bytes()
            cleaned = content
            for value in traceable:
                cleaned = cleaned.replace(value.encode("utf-8"), pd.ERASED.encode("utf-8"))
            if cleaned != content:
                path.write_bytes(cleaned)


def _accounts(session, needle: str) -> list:
    """The accounts whose e-mail is ``needle`` or whose NIK is its digits."""
    digits = "".join(c for c in needle if c.isdigit())  # as typed: an NIK may begin with 62
    match = func.lower(User.email) == needle.lower() if "@" in needle else User.nik == digits
    return list(session.scalars(select(User).where(match).order_by(User.username)))


def _erase_events(events, values: set[str], vouch: bool) -> dict:
    """Erase personal values from the events; scheme-1 events (whose hash
    covers the values) are vouched for when the chain was intact."""
    legacy = {}
    for event in events:
        if (event.scheme or 1) >= 2:
            erased = pd.erase_commitments(event.data)
        else:
            erased = pd.scrub(event.data, values)
            if erased != event.data and vouch:
                legacy[str(event.seq)] = audit.data_digest(erased)
        if erased != event.data:
            event.data = erased
    return legacy


NEEDLE_MESSAGE = {"id": "Masukkan alamat e-mail atau nomor telepon (minimal 6 angka).",
                  "en": "Enter an e-mail address or a phone number (at least 6 digits)."}


def _checked(needle: str, lang: str) -> str:
    needle = (needle or "").strip()
    if "@" in needle and len(needle) <= 254:
        return needle
    if "@" not in needle and 6 <= len(pd.normal_phone(needle)) <= 20:
        return needle
    raise InvalidData({"q": [NEEDLE_MESSAGE.get(lang, NEEDLE_MESSAGE["id"])]})


def _iso(value):
    return value.isoformat() if value is not None else None
