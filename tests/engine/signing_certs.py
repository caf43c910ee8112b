"""Test certificates made with ``cryptography``: a local CA, a signer it issued (in a
PKCS#12 file with its password) and a time-stamping authority it issued."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

P12_PASSWORD = "uji-Rahasia-7d1f"  # looked for in logs and errors: it must never show
SIGNER_NAME = "ANDI PRATAMA, S.Kom., M.Si."


@dataclass(frozen=True)
class TestPki:
    """Where the files are and the objects they hold."""

    ca_pem: Path
    p12: Path
    ca_cert: x509.Certificate
    signer_cert: x509.Certificate
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Tarakan (uji)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _cert(subject: str, key, issuer: x509.Name, issuer_key, *, ca: bool, usage=None) -> x509.Certificate:
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                            encipher_only=False, decipher_only=False), critical=True))
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def make_pki(folder: Path, signer: str = SIGNER_NAME, password: str = P12_PASSWORD) -> TestPki:
    """A CA, a signer in a PKCS#12 file (with the CA's certificate) and a TSA, under ``folder``."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = _cert("CA Uji Diskominfo Tarakan", ca_key, _name("CA Uji Diskominfo Tarakan"), ca_key, ca=True)
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer_cert = _cert(signer, signer_key, ca_cert.subject, ca_key, ca=False)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _cert("TSA Uji", tsa_key, ca_cert.subject, ca_key, ca=False,
                     usage=ExtendedKeyUsageOID.TIME_STAMPING)
    folder.mkdir(parents=True, exist_ok=True)
    ca_pem = folder / "ca.pem"
    ca_pem.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "signer.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"signer", signer_key, signer_cert, [ca_cert],
        serialization.BestAvailableEncryption(password.encode())))
    return TestPki(ca_pem, p12, ca_cert, signer_cert, tsa_cert, tsa_key)
