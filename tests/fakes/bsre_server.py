"""A stand-in for BSrE's esign client service on loopback, for the tests.

It speaks the contract ``engine.letters.bsre`` documents: basic authentication,
``POST /api/sign/pdf`` (multipart ``file``, ``nik``, ``passphrase``, ``tampilan``)
answering the signed PDF, or ``{"error", "status_code"}`` with 400 (2031 a wrong
passphrase, 2011 a signer not registered; a revoked certificate in words, as the
public material leaves its code open); ``POST /api/sign/verify`` and
``GET /api/user/status/<nik>``. Signatures are real PAdES signatures made with
pyHanko by a test certificate generated at start (a local CA and a signer), so a
signed letter verifies. ``state.down`` answers 503 as a service that is down.

Standalone, for trying ``bsre`` by hand::

    .venv/bin/python -m tests.fakes.bsre_server --port 8766 --nik 6471010101800001 --passphrase rahasia

prints the ``VICON_*`` variables to point vicon at it (the NIK goes on the Kadis's account).
"""
from __future__ import annotations

import argparse
import base64
import io
import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
CLIENT_ID, CLIENT_SECRET = "vicon-esign-client", "rahasia-klien-uji"
WRONG = {"error": "Passphrase anda salah", "status_code": 2031}
UNREGISTERED = {"error": "Penandatangan tidak terdaftar", "status_code": 2011}
REVOKED = {"error": "Sertifikat penandatangan telah dicabut (revoked)", "status_code": 2051}


@dataclass
class Signer:
    """A registered signer: the passphrase of their certificate and its status."""

    passphrase: str
    status: str = "ISSUE"  # ISSUE, REVOKED
    name: str = "Kepala Dinas Uji"


@dataclass
class BsreState:
    """What the stand-in knows and saw."""

    signers: dict = field(default_factory=dict)  # nik -> Signer
    down: bool = False
    signed: list = field(default_factory=list)  # (nik, sha256 of the input) of each signature made
    refused: list = field(default_factory=list)  # (nik, reason) of each refusal
    lock: threading.Lock = field(default_factory=threading.Lock)


class TestCertificates:
    """A local CA and one signing certificate per signer name, made with ``cryptography``."""

    def __init__(self):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self._x509, self._hashes, self._rsa, self._oid = x509, hashes, rsa, NameOID
        now = datetime.now(timezone.utc)
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OSD Uji Kelas 2"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Badan Siber dan Sandi Negara (uji)"),
                          x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")])
        self.ca_cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                        .public_key(self.ca_key.public_key()).serial_number(x509.random_serial_number())
                        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
                        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                        .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                                       critical=True)
                        .sign(self.ca_key, hashes.SHA256()))
        self._signers: dict[str, object] = {}

    def signer(self, name: str):
        """A pyHanko signer with a certificate for ``name`` issued by the CA."""
        if name not in self._signers:
            self._signers[name] = self._make(name)
        return self._signers[name]

    def _make(self, name: str):
        from asn1crypto import keys, x509 as asn1_x509
        from cryptography.hazmat.primitives import serialization
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        x509, oid = self._x509, self._oid
        now = datetime.now(timezone.utc)
        key = self._rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(oid.COMMON_NAME, name),
                                         x509.NameAttribute(oid.COUNTRY_NAME, "ID")]))
                .issuer_name(self.ca_cert.subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=90))
                .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False),
                               critical=True)
                .sign(self.ca_key, self._hashes.SHA256()))
        der = serialization.Encoding.DER
        return signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
            signing_key=keys.PrivateKeyInfo.load(key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            cert_registry=SimpleCertificateStore.from_certs(
                [asn1_x509.Certificate.load(self.ca_cert.public_bytes(der))]))

    @property
    def ca_der(self) -> bytes:
        """The CA certificate (DER), the trust root of every signature."""
        from cryptography.hazmat.primitives import serialization
        return self.ca_cert.public_bytes(serialization.Encoding.DER)


def pades_sign(pdf: bytes, signer, reason: str, location: str) -> bytes:
    """``pdf`` with a PAdES signature added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
                           signers.PdfSignatureMetadata(field_name="BSrE", reason=reason, location=location,
                                                        subfilter=SigSeedSubFilter.PADES),
                           signer=signer)
    return out.getvalue()


def _form(content_type: str, body: bytes) -> dict:
    """The multipart form's fields: name -> bytes."""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            fields[str(name)] = part.get_payload(decode=True) or b""
    return fields


class Handler(BaseHTTPRequestHandler):
    """One request against ``self.server.state``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: tests read the state
        pass

    def do_GET(self):
        if not self._allowed():
            return
        prefix = "/api/user/status/"
        if not self.path.startswith(prefix):
            return self._json(404, {"error": "not found"})
        signer = self.server.state.signers.get(self.path[len(prefix):])
        if signer is None:
            return self._json(200, {"status_code": 1110, "status": "NOT_REGISTERED",
                                    "message": "User belum terdaftar"})
        return self._json(200, {"status_code": 1111 if signer.status == "ISSUE" else 1112,
                                "status": signer.status, "message": f"status {signer.status}"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self._allowed():
            return
        form = _form(self.headers.get("Content-Type", ""), body)
        if self.path == "/api/sign/pdf":
            return self._sign(form)
        if self.path == "/api/sign/verify":
            return self._verify(form.get("signed_file", b""))
        return self._json(404, {"error": "not found"})

    def _allowed(self) -> bool:
        state = self.server.state
        if state.down:
            self._send(503, b"<html><body>503 Service Unavailable</body></html>", "text/html")
            return False
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self._json(401, {"error": "Unauthorized"})
            return False
        return True

    def _sign(self, form: dict):
        import hashlib

        state = self.server.state
        nik = form.get("nik", b"").decode()
        passphrase = form.get("passphrase", b"").decode()
        pdf = form.get("file", b"")
        signer = state.signers.get(nik)
        refusal = (UNREGISTERED if signer is None else REVOKED if signer.status != "ISSUE"
                   else WRONG if passphrase != signer.passphrase else None)
        if refusal is None and (not pdf.startswith(b"%PDF-") or form.get("tampilan") not in (b"invisible",
                                                                                             b"visible")):
            refusal = {"error": "Dokumen atau parameter tidak valid", "status_code": 2001}
        if refusal is not None:
            with state.lock:
                state.refused.append((nik, refusal["status_code"]))
            return self._json(400, refusal)
        signed = pades_sign(pdf, self.server.certificates.signer(signer.name),
                            form.get("reason", b"").decode(), form.get("location", b"").decode())
        with state.lock:
            state.signed.append((nik, hashlib.sha256(pdf).hexdigest()))
            number = len(state.signed)
        self._send(200, signed, "application/pdf", {"id_dokumen": f"doc-{number}"})

    def _verify(self, pdf: bytes):
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
        from asn1crypto import x509 as asn1_x509

        details = []
        try:
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            roots = [asn1_x509.Certificate.load(self.server.certificates.ca_der)]
            for embedded in reader.embedded_signatures:
                status = validate_pdf_signature(embedded, ValidationContext(trust_roots=roots))
                details.append({"info_signer": {"signer_name": status.signing_cert.subject.native.get("common_name"),
                                                "signer_dn": status.signing_cert.subject.human_friendly,
                                                "issuer_dn": status.signing_cert.issuer.human_friendly,
                                                "cert_user_certified": bool(status.trusted)},
                                "signature_document": {"document_integrity": bool(status.intact and status.valid),
                                                       "signed_in": None, "reason": None}})
        except Exception:  # noqa: BLE001 - a broken PDF is "not signed" to the stand-in, as to BSrE
            details = []
        valid = bool(details) and all(d["signature_document"]["document_integrity"] for d in details)
        self._json(200, {"nama_dokumen": "surat.pdf", "jumlah_signature": len(details),
                         "summary": "DOCUMENT VALID !!!" if valid else "DOCUMENT NOT VALID !!!" if details else None,
                         "notes": None, "details": details})

    def _json(self, status: int, body: dict):
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class BsreServer:
    """The stand-in on a free loopback port, in a thread: ``with BsreServer() as bsre:``."""

    def __init__(self, signers: dict | None = None, certificates: TestCertificates | None = None, port: int = 0):
        self.state = BsreState(signers=dict(signers or {}))
        self.httpd = ThreadingHTTPServer((HOST, port), Handler)
        self.httpd.daemon_threads = True
        self.httpd.state = self.state
        self.httpd.certificates = certificates or TestCertificates()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL (``VICON_BSRE_URL``)."""
        return f"http://{HOST}:{self.httpd.server_address[1]}"

    @property
    def certificates(self) -> TestCertificates:
        """The CA and signers' certificates of this stand-in."""
        return self.httpd.certificates

    def __enter__(self) -> "BsreServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def main() -> None:
    """Serve the stand-in until interrupted, with one signer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--nik", default="6471010101800001")
    parser.add_argument("--passphrase", required=True)
    args = parser.parse_args()
    server = BsreServer({args.nik: Signer(args.passphrase)}, port=args.port)
    print(f"export VICON_SIGNATURE_PROVIDER=bsre VICON_BSRE_URL={server.url} "
          f"VICON_BSRE_CLIENT_ID={CLIENT_ID} VICON_BSRE_CLIENT_SECRET={CLIENT_SECRET}")
    print(f"# signer NIK {args.nik}: enter it on the Kadis's account (/admin/pengguna/kadis)", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
