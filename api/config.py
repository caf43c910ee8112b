"""Configuration: the one place that reads the environment (``VICON_*``).

Everything else receives a ``Config`` (the web layer) or the ``engine.Settings``
built from it (the engine), so tests build either directly.
"""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from dataclasses import dataclass, field
from pathlib import Path

from engine import (LetterSettings, MailSettings, Settings, SignatureSettings, WorkingCalendar, ZoomSettings,
                    parse_office_hours)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
INSTANCE_DIR = PROJECT_ROOT / "instance"
# The key earlier versions used when none was set: it is in the repository, so it is refused.
DEV_SECRET_KEY = "vicon-development-key-not-for-production"
KEY_FILE = "secret_key"
ENVIRONMENTS = ("demo", "production", "test")
MEETING_PROVIDERS = ("manual", "zoom", "jitsi")
SMTP_SECURITY = ("none", "starttls", "ssl")
LOG_FORMATS = ("json", "text")


class ConfigError(ValueError):
    """The environment asks for something vicon refuses to run with."""


@dataclass(frozen=True)
class ZoomConfig:
    """Zoom Server-to-Server OAuth settings (carried to the engine, not used by the API;
    the secret is kept out of ``repr`` so it never reaches a log)."""

    account_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    base_url: str = "https://api.zoom.us/v2"
    oauth_url: str = "https://zoom.us/oauth/token"

    def engine_settings(self) -> ZoomSettings:
        """The engine's Zoom settings."""
        return ZoomSettings(account_id=self.account_id, client_id=self.client_id,
                            client_secret=self.client_secret, base_url=self.base_url,
                            oauth_url=self.oauth_url)


@dataclass(frozen=True)
class SmtpConfig:
    """Outgoing mail; without a host, mail goes to the outbox folder."""

    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"
    mail_from: str | None = None
    ca_file: Path | None = None  # the CA bundle the server's certificate is checked against


@dataclass(frozen=True)
class Config:
    """What vicon runs with; ``from_env`` reads it, ``check`` refuses unsafe set-ups."""

    env: str = "demo"
    port: int = 5000
    database_url: str = f"sqlite:///{INSTANCE_DIR / 'vicon.sqlite'}"
    secret_key: str | None = field(default=None, repr=False)  # demo/test: a random key in instance/
    demo_password: str = field(default="vicon-demo", repr=False)
    demo_history: bool = False  # demo mode: seed six months of past requests once (make run sets it)
    meeting_provider: str = "manual"
    outbox_dir: Path = INSTANCE_DIR / "outbox"
    zoom: ZoomConfig = field(default_factory=ZoomConfig)
    jitsi_base_url: str | None = None
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    letters: LetterSettings = field(default_factory=LetterSettings)
    signature: SignatureSettings = field(default_factory=SignatureSettings)  # the letters' TTE provider
    bind: str = "127.0.0.1"  # gunicorn's address (api/entrypoints/gunicorn_conf.py); make run stays on loopback
    workers: int = 2  # gunicorn worker processes
    log_format: str = "text"  # json: one JSON object a line (the production default)
    office_hours: str | None = None  # e.g. "mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:30,13:30-16:30"
    lead_time: str = "P1D"  # how long before its meeting a request must come, in working time
    retention_days: int = 365  # personal data of contacts kept this long after the meeting
    job_lease_seconds: int = 300  # a worker killed mid-job leaves it to others after this long
    public_url: str | None = None  # VICON_PUBLIC_URL: what links in pages, mail and letters start with
    trusted_proxies: int = 0  # VICON_TRUSTED_PROXIES: proxies in front, whose X-Forwarded-For is believed

    @property
    def base_url(self) -> str:
        """The address users reach the app at (never taken from a request's Host header)."""
        return (self.public_url or f"http://127.0.0.1:{self.port}").rstrip("/")

    @property
    def https(self) -> bool:
        """True when cookies must be ``Secure`` and HSTS sent: production, or an https URL."""
        return self.env == "production" or self.base_url.startswith("https://")

    @property
    def demo(self) -> bool:
        """True in demo mode (demo accounts are seeded)."""
        return self.env == "demo"

    @classmethod
    def from_env(cls, environ=None) -> Config:
        """Read every ``VICON_*`` variable (``environ`` defaults to ``os.environ``)."""
        env = os.environ if environ is None else environ
        defaults = cls()
        config = cls(
            env=_choice(env, "VICON_ENV", ENVIRONMENTS, defaults.env),
            port=_integer(env, "VICON_PORT", defaults.port),
            database_url=env.get("VICON_DATABASE_URL") or defaults.database_url,
            secret_key=env.get("VICON_SECRET_KEY") or _generated_key(env),
            demo_password=env.get("VICON_DEMO_PASSWORD") or defaults.demo_password,
            demo_history=env.get("VICON_DEMO_HISTORY", "").lower() in ("1", "true", "yes"),
            meeting_provider=_choice(env, "VICON_MEETING_PROVIDER", MEETING_PROVIDERS,
                                     defaults.meeting_provider),
            outbox_dir=Path(env.get("VICON_OUTBOX_DIR") or defaults.outbox_dir),
            zoom=_zoom(env), jitsi_base_url=env.get("VICON_JITSI_BASE_URL") or None,
            smtp=_smtp(env), letters=_letters(env), signature=_signature(env),
            bind=env.get("VICON_BIND") or defaults.bind,
            workers=_integer(env, "VICON_WORKERS", defaults.workers),
            log_format=_choice(env, "VICON_LOG_FORMAT", LOG_FORMATS, _log_default(env)),
            office_hours=env.get("VICON_OFFICE_HOURS") or None,
            lead_time=env.get("VICON_LEAD_TIME") or defaults.lead_time,
            retention_days=_integer(env, "VICON_RETENTION_DAYS", defaults.retention_days),
            job_lease_seconds=_integer(env, "VICON_JOB_LEASE_SECONDS", defaults.job_lease_seconds),
            public_url=env.get("VICON_PUBLIC_URL") or None,
            trusted_proxies=_integer(env, "VICON_TRUSTED_PROXIES", defaults.trusted_proxies))
        config.check()
        return config

    def check(self) -> None:
        """Raise ConfigError for a set-up vicon must not run with."""
        if self.env not in ENVIRONMENTS:
            raise ConfigError(f"VICON_ENV must be one of {', '.join(ENVIRONMENTS)}")
        if not self.secret_key or self.secret_key == DEV_SECRET_KEY:
            raise ConfigError("VICON_SECRET_KEY must be set to a secret value (production), "
                              "never to the key published in the repository")
        if self.env == "production" and not self.public_url:
            raise ConfigError("VICON_PUBLIC_URL must be set in production (e.g. https://vicon.tarakankota.go.id)")
        if self.public_url and not self.public_url.startswith(("https://", "http://")):
            raise ConfigError("VICON_PUBLIC_URL must start with https:// or http://")
        if not 0 <= self.trusted_proxies <= 10:
            raise ConfigError("VICON_TRUSTED_PROXIES must be between 0 and 10")
        if not 0 < self.port < 65536:
            raise ConfigError("VICON_PORT must be between 1 and 65535")
        if self.workers < 1:
            raise ConfigError("VICON_WORKERS must be at least 1")
        if self.retention_days < 1:
            raise ConfigError("VICON_RETENTION_DAYS must be at least 1")
        if self.job_lease_seconds < 1:
            raise ConfigError("VICON_JOB_LEASE_SECONDS must be at least 1")
        if len(self.secret_key) < 16:
            raise ConfigError("VICON_SECRET_KEY must be at least 16 characters")
        if self.smtp.ca_file and not self.smtp.ca_file.is_file():
            raise ConfigError(f"VICON_SMTP_CA_FILE: {self.smtp.ca_file} is not a file")
        self._check_meeting_provider()
        self._check_time()
        for problem in self.letters.problems():
            raise ConfigError(f"VICON_LETTER_*: {problem}")
        for problem in self.signature.problems():  # names the variable, never the password
            raise ConfigError(problem)

    def _check_meeting_provider(self) -> None:
        zoom = self.zoom
        if self.meeting_provider == "zoom" and not (zoom.account_id and zoom.client_id
                                                    and zoom.client_secret):
            raise ConfigError("VICON_MEETING_PROVIDER=zoom needs VICON_ZOOM_ACCOUNT_ID, "
                              "VICON_ZOOM_CLIENT_ID and VICON_ZOOM_CLIENT_SECRET")
        jitsi = self.jitsi_base_url or ""
        if self.meeting_provider == "jitsi" and not jitsi.startswith(("https://", "http://")):
            raise ConfigError("VICON_MEETING_PROVIDER=jitsi needs VICON_JITSI_BASE_URL "
                              "(https://...)")

    def _check_time(self) -> None:
        try:
            if self.office_hours:
                parse_office_hours(self.office_hours)
            WorkingCalendar().add(datetime.now(timezone.utc), self.lead_time)
        except ValueError as exc:
            raise ConfigError(f"VICON_OFFICE_HOURS / VICON_LEAD_TIME: {exc}") from None

    def engine_settings(self) -> Settings:
        """The engine's settings for this configuration."""
        extra = {"zoom": self.zoom, "smtp": self.smtp, "mail_from": self.smtp.mail_from}
        return Settings(database_url=self.database_url, outbox_dir=self.outbox_dir,
                        zoom=self.zoom.engine_settings(), jitsi_base_url=self.jitsi_base_url,
                        meeting_provider=self.meeting_provider, demo=self.demo, extra=extra,
                        retention_days=self.retention_days, job_lease_seconds=self.job_lease_seconds,
                        letters=self.letters, mail=self.mail_settings(), lead_time=self.lead_time,
                        signature=self.signature,
                        public_url=self.base_url,
                        office_hours=parse_office_hours(self.office_hours) if self.office_hours else None)

    def mail_settings(self) -> MailSettings:
        """The engine's mail server settings (no host: the outbox folder)."""
        smtp = self.smtp
        return MailSettings(host=smtp.host, port=smtp.port, security=smtp.security, user=smtp.user,
                            password=smtp.password, mail_from=smtp.mail_from, ca_file=smtp.ca_file)


def _generated_key(env) -> str | None:
    """Demo and test: the instance folder's random key (made at first start); production: none."""
    if (env.get("VICON_ENV") or "demo").strip().lower() == "production":
        return None
    return instance_secret_key(INSTANCE_DIR)


def instance_secret_key(folder: Path) -> str:
    """The random signing key kept in ``folder``, made on first use: written to a private
    temporary file, then linked into place, so processes starting together all read the
    one key that won, and only its owner can read it."""
    path = Path(folder) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)  # atomic; fails when another process was first
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


def _log_default(env) -> str:
    # machines read production logs; people read the demo's
    return "json" if (env.get("VICON_ENV") or "").strip().lower() == "production" else "text"


def _choice(env, name: str, allowed, default: str) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in allowed:
        raise ConfigError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def _integer(env, name: str, default: int) -> int:
    value = _optional_integer(env, name)
    return default if value is None else value


def _optional_integer(env, name: str) -> int | None:
    value = env.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {value!r})") from None


def _zoom(env) -> ZoomConfig:
    defaults = ZoomConfig()
    return ZoomConfig(account_id=env.get("VICON_ZOOM_ACCOUNT_ID") or None,
                      client_id=env.get("VICON_ZOOM_CLIENT_ID") or None,
                      client_secret=env.get("VICON_ZOOM_CLIENT_SECRET") or None,
                      base_url=env.get("VICON_ZOOM_BASE_URL") or defaults.base_url,
                      oauth_url=env.get("VICON_ZOOM_OAUTH_URL") or defaults.oauth_url)


def _smtp(env) -> SmtpConfig:
    return SmtpConfig(host=env.get("VICON_SMTP_HOST") or None,
                      port=_optional_integer(env, "VICON_SMTP_PORT"),
                      user=env.get("VICON_SMTP_USER") or None,
                      password=env.get("VICON_SMTP_PASSWORD") or None,
                      security=_choice(env, "VICON_SMTP_SECURITY", SMTP_SECURITY, "starttls"),
                      mail_from=env.get("VICON_MAIL_FROM") or None,
                      ca_file=Path(env["VICON_SMTP_CA_FILE"]) if env.get("VICON_SMTP_CA_FILE") else None)


LETTER_VARIABLES = {  # VICON_LETTER_<name> -> LetterSettings field
    "ADDRESS": "address", "PHONE": "phone", "EMAIL": "email", "WEBSITE": "website", "PLACE": "place",
    "CLASSIFICATION": "classification", "UNIT": "unit", "NUMBER_FORMAT": "number_format",
    "SIGNER_POSITION": "signer_position", "SIGNER_NAME": "signer_name", "SIGNER_RANK": "signer_rank",
    "SIGNER_NIP": "signer_nip", "CONTACT": "contact", "SENDER_NAME": "sender_name",
}


def _letters(env) -> LetterSettings:
    values = {field_: env[f"VICON_LETTER_{name}"] for name, field_ in LETTER_VARIABLES.items()
              if env.get(f"VICON_LETTER_{name}")}
    if env.get("VICON_LETTER_LOGO"):
        values["logo"] = Path(env["VICON_LETTER_LOGO"])
    if env.get("VICON_LETTER_PAPER"):
        values["paper"] = env["VICON_LETTER_PAPER"].strip().upper()
    if env.get("VICON_LETTER_CARBON_COPY"):
        values["carbon_copy"] = tuple(x.strip() for x in env["VICON_LETTER_CARBON_COPY"].split(";")
                                      if x.strip())
    return LetterSettings(**values)


def _signature(env) -> SignatureSettings:
    def path(name: str) -> Path | None:
        return Path(env[name]) if env.get(name) else None

    return SignatureSettings(provider=(env.get("VICON_SIGNATURE_PROVIDER") or "none").strip().lower(),
                             p12=path("VICON_SIGN_P12"), p12_password=env.get("VICON_SIGN_P12_PASSWORD") or None,
                             tsa_url=env.get("VICON_TSA_URL") or None, trust_roots=path("VICON_SIGN_TRUST_ROOTS"),
                             bsre_url=env.get("VICON_BSRE_URL") or None,
                             bsre_client_id=env.get("VICON_BSRE_CLIENT_ID") or None,
                             bsre_client_secret=env.get("VICON_BSRE_CLIENT_SECRET") or None)
