"""What the public verification page is given: plain frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATES = ("issued", "replaced", "voided")


@dataclass(frozen=True)
class VerificationView:
    """An issued document as the page shows it: ``kind`` (surat_tanggapan, jadwal_penuh,
    kedaluwarsa, rekap), its number (None: notices and the recap have none), the date
    it bears, subject, addressee agency, signer's position, the issued PDF's SHA-256
    and its ``state``: issued, replaced (a later letter for the same request) or voided
    (the request withdrawn or expired after issue, or its number voided)."""

    kind: str
    number: str | None
    issued_at: datetime
    subject: str
    addressee: str
    signer_position: str
    sha256: str
    state: str


@dataclass(frozen=True)
class SignatureCheck:
    """An uploaded PDF's electronic signature as checked: ``intact`` (the signed bytes
    unchanged), ``trusted`` (the certificate chains to a trust root), who signed it
    and when (as the signature says)."""

    intact: bool
    trusted: bool
    signer: str
    signed_at: datetime | None = None


@dataclass(frozen=True)
class UploadCheck:
    """An uploaded PDF against the issued one: ``same`` when byte for byte identical;
    its SHA-256; ``signature`` None when it carries no signature (or none was checked)."""

    same: bool
    sha256: str
    signature: SignatureCheck | None = None
