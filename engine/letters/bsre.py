"""The ``bsre`` signature provider: BSrE's e-sign client service (Balai Sertifikasi
Elektronik, BSSN), the certified electronic signature (TTE) SRIKANDI uses.

The contract, as far as public material establishes it (BSrE's own "Petunjuk
Teknis Penggunaan API Esign Client Service" v2.0 is published only as a scanned
copy; the requests and answers below agree across several public clients built on
it, e.g. the laravel-esign-bsre and node-esign-bsre packages):

- every call carries HTTP basic authentication with the client's id and secret
  (``VICON_BSRE_CLIENT_ID``, ``VICON_BSRE_CLIENT_SECRET``) against the agency's
  esign client server (``VICON_BSRE_URL``);
- ``POST /api/sign/pdf``, multipart: ``file`` (the PDF), ``nik``, ``passphrase``,
  ``tampilan`` (``invisible`` or ``visible``; visible adds ``image``, ``linkQR`` or
  ``imageTTD``, ``page``, ``xAxis``, ``yAxis``, ``width``, ``height``), optional
  ``reason`` and ``location``. Success: 200 with the signed PDF as the body (header
  ``id_dokumen``). Refusal: an error status with JSON ``{"error": text,
  "status_code": n}``: 2031 the passphrase is wrong, 2011 the signer is not
  registered;
- ``POST /api/sign/verify``, multipart ``signed_file``: JSON with
  ``jumlah_signature``, ``summary``, ``notes`` and ``details[]`` (``info_signer``:
  ``signer_name``, ``signer_dn``, ``issuer_dn``, ``cert_user_certified``;
  ``signature_document``: ``document_integrity``, ``signed_in``, ``reason``);
- ``GET /api/user/status/<nik>``: JSON with ``status_code``/``status`` (1111
  ``ISSUE``: a certificate was issued; 1110 ``NOT_REGISTERED``).

Where the public material is silent: the ``status_code`` of a revoked, expired or
suspended certificate is not documented, so such a refusal is recognised by its
words (``revoke``, ``dicabut``, ``expired``, ``kedaluwarsa``, ...) and any other
refusal is reported as a refusal without a named cause. The letter carries its own
signature block and QR code (laid out with the letter), so the signature is asked
``invisible``. Tests speak to the stand-in ``tests/fakes/bsre_server.py``.

Nothing sent or answered is logged: the passphrase travels only in the request's
body, the secret only in its header, and a refusal keeps only its kind and code.
"""
from __future__ import annotations

import contextlib
import json
import logging
import threading
from dataclasses import dataclass, field

import requests

from engine.errors import ServiceError
from engine.letters.signature import SignedPdf

log = logging.getLogger(__name__)

PASSPHRASE, NOT_REGISTERED, CERTIFICATE, REFUSED, UNAVAILABLE, CREDENTIALS = (
    "passphrase", "not_registered", "certificate", "refused", "unavailable", "credentials")
WRONG_PASSPHRASE_CODE, UNREGISTERED_CODE = 2031, 2011
CERTIFICATE_WORDS = ("revoke", "dicabut", "expired", "kadaluarsa", "kedaluwarsa", "suspend",
                     "tidak berlaku", "tidak aktif")
UNREGISTERED_WORDS = ("tidak terdaftar", "belum terdaftar", "not registered")
JSON_BUDGET = 256 * 1024  # an error or a verification report: small
CHUNK = 64 * 1024


@dataclass(frozen=True)
class BsreSettings:
    """Where the esign client service is and how vicon signs in to it."""

    url: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    timeout_seconds: float = 30.0  # a signature waits on BSrE's certificate service: seconds, not minutes
    max_pdf_bytes: int = 20 * 1024 * 1024  # a signed letter is a few hundred kB
    reason: str = "Surat tanggapan permohonan fasilitasi Zoom Meeting"
    location: str = "Tarakan"

    @property
    def configured(self) -> bool:
        """True when the URL and both credentials are set."""
        return bool(self.url and self.client_id and self.client_secret)

    def problems(self) -> list[str]:
        """Why these settings cannot be used (named by variable, never by value)."""
        missing = [name for name, value in (("VICON_BSRE_URL", self.url), ("VICON_BSRE_CLIENT_ID", self.client_id),
                                            ("VICON_BSRE_CLIENT_SECRET", self.client_secret)) if not value]
        return [f"{name} must be set when VICON_SIGNATURE_PROVIDER is bsre" for name in missing]


class BsreRefusal(Exception):
    """BSrE did not sign: ``kind`` is one of the module's kinds, ``code`` BSrE's
    ``status_code`` when it gave one. Carries no text of the request or the answer."""

    def __init__(self, kind: str, code: int | None = None, http_status: int | None = None):
        super().__init__(f"bsre refused: {kind}" + (f" (status_code {code})" if code is not None else ""))
        self.kind, self.code, self.http_status = kind, code, http_status


@dataclass(frozen=True)
class SignerReport:
    """One signature BSrE's verification found."""

    name: str | None
    subject: str | None
    issuer: str | None
    certified: bool
    intact: bool
    signed_at: str | None


@dataclass(frozen=True)
class BsreVerification:
    """BSrE's verification of a PDF: its signatures and its summary in BSrE's words."""

    signatures: tuple[SignerReport, ...]
    summary: str | None
    notes: str | None

    @property
    def valid(self) -> bool:
        """At least one signature, every one intact and certified."""
        return bool(self.signatures) and all(s.intact and s.certified for s in self.signatures)


class BsreClient:
    """The three calls of the esign client service vicon makes."""

    def __init__(self, settings: BsreSettings, http=None):
        self.settings = settings
        self.http = http or requests.Session()

    def sign_pdf(self, pdf: bytes, *, nik: str, passphrase: str, reason: str | None = None,
                 location: str | None = None) -> bytes:
        """The PDF signed invisibly with the certificate of ``nik`` (BsreRefusal otherwise)."""
        s = self.settings
        fields = {"nik": nik, "passphrase": passphrase, "tampilan": "invisible",
                  "reason": reason or s.reason, "location": location or s.location}
        response = self._call("POST", "/api/sign/pdf", data=fields,
                              files={"file": ("surat.pdf", pdf, "application/pdf")})
        with response:
            if response.status_code != 200:
                raise _refusal(response.status_code, self._json(response))
            signed = self._read(response, s.max_pdf_bytes)
        if not signed.startswith(b"%PDF-"):
            log.warning("bsre answered a signature that is not a PDF")
            raise BsreRefusal(UNAVAILABLE, http_status=200)
        return signed

    def verify_pdf(self, pdf: bytes) -> BsreVerification:
        """BSrE's verification of ``pdf``."""
        response = self._call("POST", "/api/sign/verify",
                              files={"signed_file": ("surat.pdf", pdf, "application/pdf")})
        with response:
            body = self._json(response)
            if response.status_code != 200:
                raise _refusal(response.status_code, body)
        data = body.get("data")
        report: dict = data if isinstance(data, dict) else body
        return BsreVerification(tuple(_signer(d) for d in report.get("details") or [] if isinstance(d, dict)),
                                _text(report.get("summary")), _text(report.get("notes")))

    def user_status(self, nik: str) -> str:
        """The certificate status of ``nik`` as BSrE names it (``ISSUE``, ``NOT_REGISTERED``, ...)."""
        if not (nik.isdigit() and len(nik) == 16):
            raise BsreRefusal(NOT_REGISTERED)
        response = self._call("GET", f"/api/user/status/{nik}")
        with response:
            body = self._json(response)
            if response.status_code != 200:
                raise _refusal(response.status_code, body)
        data = body.get("data")
        return str((data if isinstance(data, dict) else body).get("status") or "")

    # -- transport -------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs):
        s = self.settings
        if not (s.url and s.client_id and s.client_secret):
            raise BsreRefusal(CREDENTIALS)
        try:
            return self.http.request(method, s.url.rstrip("/") + path, auth=(s.client_id, s.client_secret),
                                     timeout=s.timeout_seconds, stream=True, **kwargs)
        except requests.RequestException as exc:  # the exception's text may carry the URL, never the body
            log.warning("bsre %s %s did not answer (%s)", method, path, type(exc).__name__)
            raise BsreRefusal(UNAVAILABLE) from None

    @staticmethod
    def _read(response, budget: int) -> bytes:
        """The body, refused (as the service failing) past ``budget`` bytes."""
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > budget:
            raise BsreRefusal(UNAVAILABLE, http_status=response.status_code)
        body = bytearray()
        try:
            for chunk in response.iter_content(CHUNK):
                body += chunk
                if len(body) > budget:
                    raise BsreRefusal(UNAVAILABLE, http_status=response.status_code)
        except requests.RequestException:
            raise BsreRefusal(UNAVAILABLE, http_status=response.status_code) from None
        return bytes(body)

    def _json(self, response) -> dict:
        try:
            body = json.loads(self._read(response, JSON_BUDGET) or b"{}")
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}


def _refusal(http_status: int, body: dict) -> BsreRefusal:
    """What an error answer means; logged by kind and code only (the text is BSrE's, not ours to keep)."""
    code = body.get("status_code")
    code = code if isinstance(code, int) else None
    words = " ".join(str(body.get(k) or "") for k in ("error", "message", "status")).lower()
    if http_status == 401:
        kind = CREDENTIALS
    elif code == WRONG_PASSPHRASE_CODE:
        kind = PASSPHRASE
    elif code == UNREGISTERED_CODE:
        kind = NOT_REGISTERED
    elif "passphrase" in words:
        kind = PASSPHRASE
    elif any(w in words for w in UNREGISTERED_WORDS):
        kind = NOT_REGISTERED
    elif any(w in words for w in CERTIFICATE_WORDS):
        kind = CERTIFICATE
    elif http_status >= 500 and code is None:
        kind = UNAVAILABLE
    else:
        kind = REFUSED
    log.info("bsre refused to sign: %s (HTTP %s, status_code %s)", kind, http_status, code)
    return BsreRefusal(kind, code, http_status)


def _text(value) -> str | None:
    return str(value)[:500] if value not in (None, "") else None


def _signer(detail: dict) -> SignerReport:
    signer = detail.get("info_signer") or {}
    document = detail.get("signature_document") or {}
    return SignerReport(_text(signer.get("signer_name")), _text(signer.get("signer_dn")),
                        _text(signer.get("issuer_dn")), signer.get("cert_user_certified") is True,
                        document.get("document_integrity") is True, _text(document.get("signed_in")))


class _Held:
    """A signer's NIK and passphrase, held in memory for one layout (never printed)."""

    __slots__ = ("nik", "passphrase")

    def __init__(self, nik: str, passphrase: str):
        self.nik, self.passphrase = nik, passphrase

    def __repr__(self) -> str:
        return "<held signer>"


class BsreSignature:
    """The ``bsre`` provider: signs only in the signer's own request, with the
    passphrase typed there (``engine.letters.signing_desk``), never in the worker.
    The signing desk holds the signer's NIK and passphrase under the layout's
    idempotency key while that request lays the letter out; ``sign`` finds them there."""

    name = "bsre"
    interactive = True  # the passphrase is the signer's: the signing desk signs while the signer is there
    notice = ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
              "yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara.")

    def __init__(self, settings: BsreSettings, http=None):
        self.settings = settings
        self.client = BsreClient(settings, http)
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def holding(self, idempotency_key: str, *, nik: str, passphrase: str):
        """Within the block, ``sign`` for ``idempotency_key`` signs as ``nik`` with ``passphrase``;
        after it nothing of them is kept."""
        with self._lock:
            self._held[idempotency_key] = _Held(nik, passphrase)
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(idempotency_key, None)

    def sign(self, pdf: bytes, *, signer: str, reason: str, idempotency_key: str, seal=None) -> SignedPdf:
        """``pdf`` signed by BSrE for the signer held under ``idempotency_key`` (BsreRefusal when
        BSrE refuses). Without one (a layout outside the signer's request) nothing can sign it."""
        with self._lock:
            held = self._held.get(idempotency_key)
        if held is None:
            raise ServiceError("a BSrE letter is signed in the signer's own request, with their passphrase; "
                               "the Kadis signs again from the task page", transient=False)
        return self.sign_with_passphrase(pdf, nik=held.nik, passphrase=held.passphrase, reason=reason)

    def sign_with_passphrase(self, pdf: bytes, *, nik: str, passphrase: str, reason: str | None = None,
                             location: str | None = None) -> SignedPdf:
        """``pdf`` signed by BSrE with the certificate of ``nik`` (BsreRefusal otherwise)."""
        signed = self.client.sign_pdf(pdf, nik=nik, passphrase=passphrase, reason=reason, location=location)
        return SignedPdf(signed, signed=True, provider=self.name)

    def verify(self, pdf: bytes) -> BsreVerification:
        """BSrE's own verification of a PDF."""
        return self.client.verify_pdf(pdf)
