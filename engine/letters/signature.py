"""Electronic signature (TTE) of outgoing letters.

A provider signs the final letter right after it is laid out, outside any
transaction (it may call the national certificate service), and says what the
letter prints about it. ``VICON_SIGNATURE_PROVIDER`` chooses one
(``signature_provider``): ``none`` signs nothing, ``pades`` signs in the worker
with a PKCS#12 key (``engine.letters.pades``), ``bsre`` asks BSrE's signing
service (``engine.letters.bsre``), whose passphrase is the signer's own secret
and never appears in task data, results or logs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from engine.letters.config import SignatureSettings

UNSIGNED_NOTICE = "Dokumen ini belum ditandatangani secara elektronik."


@dataclass(frozen=True)
class SignedPdf:
    """A PDF after signing, and whether a signature was applied."""

    pdf: bytes
    signed: bool
    provider: str


@dataclass(frozen=True)
class Seal:
    """Where the letter's signature stands and whom its block names.

    ``page`` counts from 0; ``box`` is ``(x1, y1, x2, y2)`` in PDF points from the
    page's lower left corner (the blank between the position and the name);
    ``signer`` is the block as printed: position, name, rank, NIP."""

    page: int
    box: tuple[float, float, float, float]
    signer: dict


class SignatureProvider(Protocol):
    """What a TTE provider offers."""

    name: str
    notice: str  # printed at the foot of the letters it signs

    def sign(self, pdf: bytes, *, signer: str, reason: str, idempotency_key: str,
             seal: Seal | None = None) -> SignedPdf:
        """The signed PDF (raise ServiceError(transient=...) when the service fails); ``seal``:
        where a visible signature goes."""


class NoSignature:
    """The default: signs nothing, and every letter says so."""

    name = "none"
    notice = UNSIGNED_NOTICE

    def sign(self, pdf: bytes, *, signer: str, reason: str, idempotency_key: str,
             seal: Seal | None = None) -> SignedPdf:
        """Return the PDF unchanged."""
        return SignedPdf(pdf, signed=False, provider=self.name)


def signature_provider(settings: SignatureSettings | None) -> SignatureProvider:
    """The provider ``settings.provider`` names (``pades`` opens its key here, once).
    ValueError names the variable at fault, never a secret."""
    choice = settings.provider if settings is not None else "none"
    if settings is None or choice == "none":
        return NoSignature()
    if choice == "pades":
        from engine.letters.pades import PadesSignature  # pyHanko only when it is used
        return PadesSignature(settings)
    if choice == "bsre":  # signs in the Kadis's own request, with their passphrase (requests.signing_desk)
        from engine.letters.bsre import BsreSettings, BsreSignature
        return BsreSignature(BsreSettings(url=settings.bsre_url, client_id=settings.bsre_client_id,
                                          client_secret=settings.bsre_client_secret))
    raise ValueError(f"VICON_SIGNATURE_PROVIDER={choice} has no provider here")
