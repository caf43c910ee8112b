"""Checking the electronic signature of a PDF someone hands us (the verification
page's upload): is it intact, who signed it, does the signer's certificate chain
to the trust roots, when was it signed.

pyHanko does the validation, offline (no certificate is fetched, revocation is
not looked up), against the trust roots given. The file is untrusted: its size
is bounded before anything parses it, only the last few signatures are examined,
and any parser failure is one ``UnreadablePdf``.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from engine.errors import EngineError

MAX_BYTES = 10 * 1024 * 1024  # the largest PDF examined
HEADER_WITHIN = 1024  # readers accept the header anywhere in the first kilobyte
MAX_SIGNATURES = 5  # signatures examined (the newest ones); more is not a letter of ours
log = logging.getLogger(__name__)
# an untrusted upload is an answer on the page, not a traceback in the log
logging.getLogger("pyhanko.sign.validation").setLevel(logging.ERROR)


class UnreadablePdf(EngineError):
    """The file is too large or is not a PDF pyHanko can read."""

    code = "unreadable_pdf"


@dataclass(frozen=True)
class SignatureReport:
    """What the newest signature of a PDF says.

    ``intact``: the signed bytes are unchanged and the signature matches the
    certificate; ``trusted``: intact, and the certificate chains to a trust root;
    ``whole_file``: nothing was appended after signing; ``signer``: the
    certificate's common name; ``signed_at``: the timestamp authority's time when
    there is one, else the time the signer wrote."""

    intact: bool
    trusted: bool
    whole_file: bool
    signer: str | None
    signer_subject: str | None
    signed_at: datetime | None
    timestamped: bool
    signatures: int

    @property
    def verified(self) -> bool:
        """True when the signature is intact, trusted and covers the whole file."""
        return self.intact and self.trusted and self.whole_file


def verify_pdf_signature(pdf: bytes, trust_roots, *, max_bytes: int = MAX_BYTES) -> SignatureReport | None:
    """The report on the newest signature of ``pdf`` (None when it carries none), checked
    against ``trust_roots`` (asn1crypto certificates, e.g. ``Engine.signature_trust_roots``).
    UnreadablePdf when the file is too large or cannot be parsed."""
    if len(pdf) > max_bytes:
        raise UnreadablePdf(f"the file is larger than {max_bytes // (1024 * 1024)} MB",
                            f"berkas lebih besar dari {max_bytes // (1024 * 1024)} MB")
    if b"%PDF-" not in pdf[:HEADER_WITHIN]:
        raise UnreadablePdf("the file is not a PDF", "berkas bukan PDF")
    try:
        return _report(pdf, list(trust_roots or ()))
    except UnreadablePdf:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted input: any parser failure means the same
        log.info("signature check: unreadable PDF (%s)", type(exc).__name__)
        raise UnreadablePdf("the file is not a PDF that can be read", "berkas bukan PDF yang dapat dibaca") \
            from None


def _report(pdf: bytes, roots: list) -> SignatureReport | None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return None
    newest = signatures[-1]
    if len(signatures) > MAX_SIGNATURES:
        raise UnreadablePdf("the file carries too many signatures", "berkas membawa terlalu banyak tanda tangan")
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    usage = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)
    status = validate_pdf_signature(newest, context, key_usage_settings=usage)
    certificate = status.signing_cert
    stamp = status.timestamp_validity
    return SignatureReport(
        intact=bool(status.intact and status.valid), trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=certificate.subject.native.get("common_name") if certificate is not None else None,
        signer_subject=certificate.subject.human_friendly if certificate is not None else None,
        signed_at=stamp.timestamp if stamp is not None else status.signer_reported_dt,
        timestamped=stamp is not None, signatures=len(signatures))
