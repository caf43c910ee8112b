"""The ``pades`` signature provider: a PAdES signature made with pyHanko from the key
and certificate of a PKCS#12 file (``VICON_SIGN_P12``, ``VICON_SIGN_P12_PASSWORD``).

The worker signs the final letter right after laying it out. The signature is an
incremental update of the laid-out PDF (nothing before it changes, nothing is
encrypted, so a PDF/A letter stays PDF/A), with a visible field over the blank
between the signer's position and name: who holds the certificate and when it
signed, drawn in an embedded font. With ``VICON_TSA_URL`` an RFC 3161 timestamp
is added. The password is used once, to open the file at start-up, and is never
logged or put in an error.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from asn1crypto import keys, pem, x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from engine.calendar.dates import WITA
from engine.errors import ServiceError
from engine.letters.config import SignatureSettings
from engine.letters.signature import Seal, SignedPdf

SIGNED_NOTICE = "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik."
FIELD = "TTE"  # the signature field's name
FONTS = (Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
         Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))  # Debian's fonts-liberation, fonts-dejavu-core
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(holder)s\n%(when)s"
FONT_SIZE = 8
STAMP_INSET = 6.0  # points between the blank's edges and the stamp's border
TSA_TIMEOUT_SECONDS = 10
# fontTools says on every signature that it drops a table the stamp's font subset does not need
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


@dataclass(frozen=True)
class SigningKey:
    """The signer's certificate and private key, and the certificates that came with them."""

    certificate: x509.Certificate
    key: keys.PrivateKeyInfo
    chain: tuple[x509.Certificate, ...]

    @property
    def holder(self) -> str:
        """The certificate holder's name (its common name, else the whole subject)."""
        subject = self.certificate.subject.native
        return str(subject.get("common_name") or self.certificate.subject.human_friendly)


def load_key(settings: SignatureSettings) -> SigningKey:
    """Open the PKCS#12 file; ValueError naming the variable at fault, never the password."""
    if settings.p12 is None:
        raise ValueError("VICON_SIGNATURE_PROVIDER=pades needs VICON_SIGN_P12 (a PKCS#12 file) "
                         "and VICON_SIGN_P12_PASSWORD")
    try:
        data = Path(settings.p12).read_bytes()
    except OSError as exc:
        raise ValueError(f"VICON_SIGN_P12: {settings.p12} cannot be read ({exc.strerror})") from None
    password = settings.p12_password.encode() if settings.p12_password else None
    try:
        private, certificate, extra = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError):  # their message may name the file's content, never ours to log
        raise ValueError(f"VICON_SIGN_P12_PASSWORD does not open VICON_SIGN_P12 ({settings.p12}): "
                         "wrong password, or not a PKCS#12 file") from None
    if private is None or certificate is None:
        raise ValueError(f"VICON_SIGN_P12: {settings.p12} holds no private key with its certificate")
    der = serialization.Encoding.DER
    key = keys.PrivateKeyInfo.load(private.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return SigningKey(x509.Certificate.load(certificate.public_bytes(der)), key,
                      tuple(x509.Certificate.load(c.public_bytes(der)) for c in extra or ()))


def load_pem_certificates(path: Path, variable: str = "VICON_SIGN_TRUST_ROOTS") -> list[x509.Certificate]:
    """The certificates of a PEM file; ValueError naming ``variable`` when there are none."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"{variable}: {path} cannot be read ({exc.strerror})") from None
    found = [x509.Certificate.load(der) for kind, _, der in pem.unarmor(data, multiple=True)
             if kind == "CERTIFICATE"] if pem.detect(data) else []
    if not found:
        raise ValueError(f"{variable}: {path} holds no PEM certificate")
    return found


def trust_roots(settings: SignatureSettings) -> list[x509.Certificate]:
    """What a signature must chain to: ``VICON_SIGN_TRUST_ROOTS``, else the configured
    certificate's own chain (the CA certificates its PKCS#12 file carries, or the
    certificate itself when it carries none); empty when neither is configured."""
    if settings.trust_roots is not None:
        return load_pem_certificates(settings.trust_roots)
    if settings.provider != "pades" or settings.p12 is None:
        return []
    signing = load_key(settings)
    return list(signing.chain) or [signing.certificate]


def key_problems(settings: SignatureSettings) -> list[str]:
    """Why the pades settings cannot be used (empty when they can)."""
    try:
        signing = load_key(settings)
        trust_roots(settings)
    except ValueError as exc:
        return [str(exc)]
    found = []
    if signing.certificate.not_valid_after < datetime.now(timezone.utc):
        found.append(f"VICON_SIGN_P12: the certificate expired on {signing.certificate.not_valid_after:%Y-%m-%d}")
    if settings.tsa_url and not settings.tsa_url.startswith(("https://", "http://")):
        found.append("VICON_TSA_URL must start with https:// or http://")
    if not any(font.is_file() for font in FONTS):
        found.append(f"the signature's font is missing: install fonts-liberation ({FONTS[0]})")
    return found


class PadesSignature:
    """Signs with the configured key (opened once, at start-up)."""

    name = "pades"
    notice = SIGNED_NOTICE

    def __init__(self, settings: SignatureSettings, *, timestamper=None, clock=None):
        """``timestamper``: a pyHanko TimeStamper (tests); by default one for ``VICON_TSA_URL``."""
        from pyhanko.sign import signers  # pyHanko is imported only when pades is chosen
        from pyhanko_certvalidator.registry import SimpleCertificateStore
        self.key = load_key(settings)
        self.signer = signers.SimpleSigner(
            signing_cert=self.key.certificate, signing_key=self.key.key,
            cert_registry=SimpleCertificateStore.from_certs([self.key.certificate, *self.key.chain]))
        if timestamper is None and settings.tsa_url:
            from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
            timestamper = RequestsHTTPTimeStamper(settings.tsa_url, timeout=TSA_TIMEOUT_SECONDS)
        self.timestamper = timestamper
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.font = _stamp_font()

    def sign(self, pdf: bytes, *, signer: str, reason: str, idempotency_key: str,
             seal: Seal | None = None) -> SignedPdf:
        """The PDF with a PAdES signature appended (visible over ``seal``'s box when given).
        A time-stamping authority that fails is a transient ServiceError (retried)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        from pyhanko.sign.general import SigningError
        from pyhanko.sign.timestamps import TimestampRequestError
        meta = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason, location="Tarakan",
                                            name=signer or None, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES)
        spec = (fields.SigFieldSpec(FIELD, on_page=seal.page, box=_inset(seal.box)) if seal
                else fields.SigFieldSpec(FIELD))
        pdf_signer = signers.PdfSigner(meta, self.signer, timestamper=self.timestamper,
                                       stamp_style=self._style(), new_field_spec=spec)
        when = self.clock().astimezone(WITA)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        _same_producer(writer)
        try:
            out = pdf_signer.sign_pdf(writer,
                                      appearance_text_params={"holder": self.key.holder,
                                                              "when": f"{when:%d-%m-%Y %H:%M:%S} WITA"})
        except TimestampRequestError as exc:
            raise ServiceError(f"layanan cap waktu (TSA) tidak menjawab: {type(exc).__name__}",
                               transient=True) from None
        except SigningError as exc:
            raise ServiceError(f"surat gagal ditandatangani: {exc}", transient=False) from None
        return SignedPdf(out.getvalue(), signed=True, provider=self.name)

    def _style(self):
        """A bordered text stamp in an embedded font, with no background (PDF/A: no
        transparency, every font embedded)."""
        from pyhanko.pdf_utils.text import TextBoxStyle
        from pyhanko.stamp import TextStampStyle
        text = TextBoxStyle(font=self.font, font_size=FONT_SIZE, leading=FONT_SIZE + 2)
        return TextStampStyle(stamp_text=STAMP_TEXT, text_box_style=text, border_width=1, background=None)


def _stamp_font():
    """The stamp's font engine factory: the first of ``FONTS`` rescaled to 1000 units per
    em, the unit pyHanko writes glyph widths in (Liberation's and DejaVu's 2048 would print
    every glyph twice as wide), read from memory so no file handle is left open."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem
    from pyhanko.pdf_utils.font.api import FontEngineFactory
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
    path = next((font for font in FONTS if font.is_file()), None)
    if path is None:
        raise ValueError(f"the signature's font is missing: install fonts-liberation ({FONTS[0]})")
    with TTFont(path) as font:
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        buffer = io.BytesIO()
        font.save(buffer)
    data = buffer.getvalue()

    class StampFont(FontEngineFactory):
        def create_font_engine(self, writer, obj_stream=None):
            if obj_stream is None and writer.stream_xrefs:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(data), font_size=FONT_SIZE,
                                    obj_stream=obj_stream)

    return StampFont()


def _same_producer(writer) -> None:
    """PDF/A wants the Info dictionary's entries equal to the XMP metadata's; pyHanko
    writes its own name as the XMP's producer but appends it to the Info's: both say
    the same when the Info's is pyHanko's alone (the rest of the Info is kept)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.metadata.model import VENDOR
    try:
        info = writer.trailer["/Info"].get_object()
    except KeyError:
        return
    replaced = generic.DictionaryObject({key: value for key, value in info.items()})
    replaced[generic.NameObject("/Producer")] = generic.TextStringObject(VENDOR)
    writer.set_info(replaced)


def _inset(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    x1, y1, x2, y2 = box
    return (round(x1 + STAMP_INSET), round(y1 + STAMP_INSET), round(x2 - STAMP_INSET), round(y2 - STAMP_INSET))
