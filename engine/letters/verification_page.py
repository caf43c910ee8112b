"""The public verification page's side of the engine (the engine's
``verification``): an issued document by its token, an uploaded PDF checked
against it, and the limit on unknown tokens. Read as nobody: the token is the
only key, so a near miss answers as fast as any unknown token."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from engine.errors import InvalidData, NotFound
from engine.letters.signature_check import UnreadablePdf, verify_pdf_signature
from engine.letters.verification import REPLACEABLE
from engine.letters.verification_limit import VerificationLimit
from engine.letters.verification_views import UploadCheck, VerificationView
from engine.storage.letter_models import LetterNumber
from engine.storage.models import Instance
from engine.storage.verification_models import VerificationToken

MAX_UPLOAD = 10 * 1024 * 1024  # bytes: a letter is a few hundred kilobytes (signature_check's limit too)
PDF_HEADER_WITHIN = 1024  # a PDF's "%PDF-" comes first (readers allow a little junk before it)
VOIDING_OUTCOMES = ("withdrawn", "expired")


def _not_found() -> NotFound:
    return NotFound("no such verification code", "kode verifikasi tidak dikenal")


def is_pdf(data: bytes) -> bool:
    """True when ``data`` starts like a PDF file."""
    return b"%PDF-" in data[:PDF_HEADER_WITHIN]


class VerificationDesk:
    """Issued documents by their public token."""

    def __init__(self, kernel, trust_roots=()):
        """``trust_roots``: the certificates an uploaded letter's signature must chain to
        (``VICON_SIGN_TRUST_ROOTS``, by default the configured certificate's own chain)."""
        self.kernel = kernel
        self.limit = VerificationLimit(kernel)
        self.trust_roots = trust_roots

    def view(self, token: str) -> VerificationView:
        """What the page shows for ``token``; NotFound for an unknown one (or one whose
        document is still being laid out: nobody holds its QR yet)."""
        with self.kernel.db.reading() as session:
            row = _entry(session, token)
            return VerificationView(
                kind=row.kind, number=row.number, issued_at=row.issued_at, subject=row.subject,
                addressee=row.addressee,
                signer_position=row.signer_position or self.kernel.settings.letters.signer_position,
                sha256=row.sha256 or "", state=_state(session, row))

    def check(self, token: str, pdf: bytes) -> UploadCheck:
        """An uploaded PDF against the document ``token`` names: byte for byte, and its
        signature when it carries one. InvalidData: too big or not a PDF."""
        if len(pdf) > MAX_UPLOAD:
            raise InvalidData({"file": [f"Berkas lebih dari {MAX_UPLOAD // (1024 * 1024)} MB."]})
        if not is_pdf(pdf):
            raise InvalidData({"file": ["Berkas ini bukan PDF."]})
        issued = self.view(token)
        digest = hashlib.sha256(pdf).hexdigest()
        same = secrets.compare_digest(digest, issued.sha256)
        try:  # pyHanko's parse, within signature_check's size and signature-count limits
            return UploadCheck(same, digest, verify_pdf_signature(pdf, self.trust_roots))
        except UnreadablePdf:
            return UploadCheck(same, digest, None, readable=False)


def _entry(session, token: str) -> VerificationToken:
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        raise _not_found()
    row = session.scalars(select(VerificationToken).where(VerificationToken.token == token)).first()
    # the unique index finds the row; comparing again in constant time keeps a
    # near miss from answering any faster
    if row is None or not secrets.compare_digest(row.token, token) or row.state == "pending" or not row.sha256:
        raise _not_found()
    return row


def _state(session, row: VerificationToken) -> str:
    """issued, replaced or voided (the request withdrawn or expired after issue, or the
    letter's number voided in the register)."""
    if row.kind in REPLACEABLE and row.instance_id:
        outcome = session.scalar(select(Instance.outcome).where(Instance.id == row.instance_id))
        voided = row.number and session.scalar(select(LetterNumber.voided_at).where(
            LetterNumber.number == row.number))
        if outcome in VOIDING_OUTCOMES or voided:
            return "voided"
    return "replaced" if row.state == "replaced" else "issued"
