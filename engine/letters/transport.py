"""Sending mail: over SMTP (none, STARTTLS or implicit TLS), or, without a
mail server configured, into the outbox folder as an ``.eml`` beside the PDF.

SMTP failures that may pass (no connection, a 4xx answer) are transient and
retried by the worker; a refusal (5xx, failed log-in, a certificate that does
not verify, a server without STARTTLS when it is required) is final and
becomes an incident. With ``starttls`` or ``ssl`` the log-in happens only on
the encrypted connection. The password is never part of a message.
"""
from __future__ import annotations

import smtplib
import ssl
from pathlib import Path

from engine.errors import ServiceError
from engine.letters.config import MailSettings

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class NotEncrypted(smtplib.SMTPException):
    """The server did not offer STARTTLS although the settings require it."""


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    """Verify the server's certificate and host name against the system's CA bundle, or
    against ``settings.ca_file`` alone (a city mail server with its own CA)."""
    try:
        return ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    except (OSError, ValueError) as exc:
        raise ServiceError(f"SMTP CA file {settings.ca_file}: {type(exc).__name__}: cannot be read",
                           transient=False) from None


def _open(settings: MailSettings) -> smtplib.SMTP:
    host = settings.host
    assert host, "transport_for sends over SMTP only when a host is set"
    port = settings.port or DEFAULT_PORTS[settings.security]
    if settings.security == "none":
        return smtplib.SMTP(host, port, timeout=settings.timeout)
    context = tls_context(settings)
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(host, port, timeout=settings.timeout, context=context)
    client = smtplib.SMTP(host, port, timeout=settings.timeout)
    try:
        _start_tls(client, context)
    except BaseException:
        client.close()
        raise
    return client


def _start_tls(client: smtplib.SMTP, context: ssl.SSLContext) -> None:
    # Checked here rather than left to smtplib so that a server without STARTTLS is a
    # refusal of its own kind: nothing, credentials least of all, goes out in the clear.
    client.ehlo()
    if not client.has_extn("starttls"):
        raise NotEncrypted("the server does not offer STARTTLS")
    client.starttls(context=context)


def _failure(exc: Exception, where: str) -> ServiceError:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _ in exc.recipients.values()]
        code = max(codes) if codes else None
    if isinstance(exc, NotEncrypted):
        return ServiceError(f"{where}: refused: {exc} (VICON_SMTP_SECURITY=starttls)", transient=False)
    if isinstance(exc, (smtplib.SMTPAuthenticationError, ssl.SSLCertVerificationError)):
        return ServiceError(f"{where}: {type(exc).__name__}: refused", transient=False)
    if isinstance(code, int) and code >= 500:
        return ServiceError(f"{where}: refused with {code}", transient=False)
    return ServiceError(f"{where}: {type(exc).__name__}: {exc}", transient=True)


class SmtpTransport:
    """Mail over SMTP."""

    channel = "smtp"

    def __init__(self, settings: MailSettings):
        self.settings = settings

    def send(self, message, key: str, files: dict) -> str:
        """Send ``message``; return its Message-ID (``key`` and ``files`` serve the outbox)."""
        where = f"SMTP {self.settings.host}"
        try:
            with _open(self.settings) as client:
                if self.settings.user:
                    client.login(self.settings.user, self.settings.password or "")
                client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise _failure(exc, where) from None
        return message["Message-ID"]


class OutboxTransport:
    """Mail as files: ``<key>.eml`` and the attached documents, rewritten by a retry."""

    channel = "outbox"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _write(self, name: str, data: bytes) -> None:
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(self.folder / name)

    def send(self, message, key: str, files: dict) -> str:
        """Write the message and ``files`` (name -> bytes); return the message's file name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = key.replace(":", "-")
        for name, data in files.items():
            self._write(f"{stem}-{name}", data)
        self._write(f"{stem}.eml", bytes(message))
        return f"{stem}.eml"


def transport_for(settings: MailSettings | None, outbox: Path):
    """SMTP when a mail server is configured, else the outbox folder."""
    if settings is not None and settings.enabled:
        return SmtpTransport(settings)
    return OutboxTransport(outbox)
