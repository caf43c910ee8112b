"""Electronic signature (TTE) of outgoing letters.

A provider signs a PDF after the Kadis approved it, in the worker (it may
call the national certificate service, so never inside a transaction), and
says what the letter prints about it. A real provider (a BSrE signing gateway)
implements the same two members; the passphrase it needs is its own secret
and never appears in task data, results or logs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SignedPdf:
    """A PDF after signing, and whether a signature was applied."""

    pdf: bytes
    signed: bool
    provider: str


class SignatureProvider(Protocol):
    """What a TTE provider offers."""

    name: str
    notice: str  # printed at the foot of every letter

    def sign(self, pdf: bytes, *, signer: str, reason: str, idempotency_key: str) -> SignedPdf:
        """The signed PDF (raise ServiceError(transient=...) when the service fails)."""


class NoSignature:
    """The default: signs nothing, and every letter says so."""

    name = "none"
    notice = "Dokumen ini belum ditandatangani secara elektronik."

    def sign(self, pdf: bytes, *, signer: str, reason: str, idempotency_key: str) -> SignedPdf:
        """Return the PDF unchanged."""
        return SignedPdf(pdf, signed=False, provider=self.name)
