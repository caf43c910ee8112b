"""Verification entries of issued documents: the unguessable token behind the QR
printed on every letter, notice and monthly recap, leading to the public page
``/verifikasi/<token>``.

The entry is made before the layout (the QR is in the PDF) under the layout's
idempotency key, so a retried layout prints the same QR; the issued PDF's
SHA-256 is recorded once it is stored (after signing, when a provider signs).
A letter issued for a request replaces the earlier letters of that request.
"""
from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from engine.storage.verification_models import VerificationToken

TOKEN_BYTES = 32  # 43 URL-safe characters, 256 bits
PATH = "/verifikasi/"  # the public page's address (api.web.verification serves it)
REPLACEABLE = ("surat_tanggapan",)  # kinds a later one of the same request replaces
QR_ERROR = "m"  # 15 % of the code may be lost (a fold, a stamp) and it still reads
QR_PIXELS_PER_MODULE = 4


def url(base_url: str, token: str) -> str:
    """The verification page of ``token`` under the public URL (the one place it is built)."""
    return f"{base_url.rstrip('/')}{PATH}{token}"


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code, a PNG ``data:`` URI: black on white, no transparency, 4 pixels a
    module (printed without smoothing, ``surat.css``). A PNG lays out in about half the time
    of the same code as SVG, whose many path segments WeasyPrint parses one by one."""
    import segno  # only where a document carries one

    code = segno.make(text, error=QR_ERROR, micro=False)
    return code.png_data_uri(scale=QR_PIXELS_PER_MODULE, border=2, dark="#000", light="#fff")


@dataclass(frozen=True)
class Entry:
    """A verification entry as a layout prints it: its token, page address and QR."""

    token: str
    url: str

    @property
    def qr(self) -> str:
        """The QR code of the page address (a PNG data URI)."""
        return qr_data_uri(self.url)


@dataclass(frozen=True)
class Issue:
    """What the verification page will say of a document about to be laid out."""

    kind: str
    key: str
    instance_id: str | None
    number: str | None
    subject: str
    addressee: str
    signer_position: str | None
    issued_at: datetime


class SqlVerifications:
    """Verification entries in the database (commands pass their session; the
    worker's calls open short transactions of their own)."""

    def __init__(self, db, session=None, base_url: str = ""):
        self.db, self.session, self.base_url = db, session, base_url

    @contextlib.contextmanager
    def _writing(self):
        if self.session is not None:
            yield self.session
        else:
            with self.db.transaction() as session:
                yield session

    def prepare(self, issue: Issue, now: datetime) -> Entry:
        """The entry of ``issue.key``, made on first use (a retried layout gets the same token)."""
        try:
            with self._writing() as session:
                found = _by_key(session, issue.key)
                if found is None:
                    found = _new_entry(issue, now)
                    session.add(found)
                    session.flush()
                return Entry(found.token, url(self.base_url, found.token))
        except IntegrityError:  # a parallel attempt of the same layout made it first
            with self.db.reading() as session:
                found = _by_key(session, issue.key)
                assert found is not None
                return Entry(found.token, url(self.base_url, found.token))

    def record(self, token: str, document_id: int | None, sha256: str) -> None:
        """The issued PDF of ``token``: its stored document (None: kept nowhere, the recap)
        and hash; the earlier letters of the same request are replaced by it."""
        with self._writing() as session:
            row = session.scalars(select(VerificationToken).where(VerificationToken.token == token)).one()
            row.document_id, row.sha256, row.state = document_id, sha256, "issued"
            if row.kind in REPLACEABLE and row.instance_id:
                session.execute(update(VerificationToken).where(
                    VerificationToken.instance_id == row.instance_id, VerificationToken.kind == row.kind,
                    VerificationToken.id != row.id, VerificationToken.state == "issued",
                    VerificationToken.issued_at <= row.issued_at).values(state="replaced"))


def _by_key(session, key: str) -> VerificationToken | None:
    return session.scalars(select(VerificationToken).where(VerificationToken.key == key)).first()


def _new_entry(issue: Issue, now: datetime) -> VerificationToken:
    return VerificationToken(
        token=secrets.token_urlsafe(TOKEN_BYTES), key=issue.key, kind=issue.kind, instance_id=issue.instance_id,
        number=issue.number, subject=issue.subject[:300], addressee=issue.addressee[:300],
        signer_position=(issue.signer_position or "")[:300] or None, issued_at=issue.issued_at,
        state="pending", created_at=now)


def issue_of(kind: str, key: str, instance_id: str | None, context: dict, addressee: str,
             issued_at: datetime) -> Issue:
    """What the page will say of a document laid out from ``context`` (``content``'s)."""
    signer = context.get("signer") or {}
    return Issue(kind=kind, key=key, instance_id=instance_id, number=context.get("number"),
                 subject=str(context.get("subject") or ""), addressee=addressee,
                 signer_position=signer.get("position"), issued_at=issued_at)


def prepare(office, issue: Issue, now: datetime) -> Entry | None:
    """The entry a layout prints, from the office's port (None: an office without one,
    such as the tests' in-memory office: the document carries no QR)."""
    verifications = getattr(office, "verifications", None)
    return verifications.prepare(issue, now) if verifications is not None else None


def record(office, entry: Entry | None, document) -> None:
    """The stored document (a StoredPdf) is what ``entry`` verifies."""
    if entry is not None:
        office.verifications.record(entry.token, document.id, document.sha256)
