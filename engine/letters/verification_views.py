"""What the public verification page is given: plain frozen dataclasses."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
class UploadCheck:
    """An uploaded PDF against the issued one: ``same`` when byte for byte identical;
    its SHA-256; ``signature`` the report on its newest electronic signature
    (``engine.letters.signature_check.SignatureReport``), None when it carries none;
    ``readable`` False when the signature could not be read at all."""

    same: bool
    sha256: str
    signature: object = None
    readable: bool = True
