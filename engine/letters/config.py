"""What letters are configured with: the letterhead, the signer, the number
format, the paper, and the outgoing mail server.

Nothing here is invented for the agency: a value that must come from the
office (the classification code, the signer's name, the address) defaults to
unset and is printed as a visible flag until it is configured.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DEFAULT_NUMBER_FORMAT = "{classification}/{seq}/{unit}/{year}"
NUMBER_FIELDS = ("classification", "seq", "unit", "year", "month", "month_roman")
PAPER_SIZES = {"F4": "215mm 330mm", "A4": "A4"}
SECURITY = ("none", "starttls", "ssl")
SIGNATURE_PROVIDERS = ("none", "pades", "bsre")


def unset(what: str) -> str:
    """The flag printed where a configuration value is missing."""
    return f"[{what} BELUM DIATUR]"


@dataclass(frozen=True)
class LetterSettings:
    """The letterhead, the signer and the numbering of outgoing letters."""

    government: str = "PEMERINTAH KOTA TARAKAN"
    agency: str = "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN"
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    logo: Path = TEMPLATES_DIR / "logo.svg"
    place: str = "Tarakan"
    classification: str | None = None
    unit: str = "DKISP"
    number_format: str = DEFAULT_NUMBER_FORMAT
    signer_position: str = "KEPALA DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN"
    signer_name: str | None = None
    signer_rank: str | None = None
    signer_nip: str | None = None
    paper: str = "F4"
    carbon_copy: tuple = ()
    contact: str | None = None  # who agencies call about the meeting (printed in the letter)
    sender_name: str = "Layanan Zoom Meeting DKISP Kota Tarakan"

    def problems(self) -> list[str]:
        """Why these settings cannot be used (empty when they can)."""
        found = []
        try:
            self.number_format.format(**{name: 1 for name in NUMBER_FIELDS})
            if "{seq" not in self.number_format:
                found.append("the number format has no {seq}")
        except (KeyError, IndexError, ValueError) as exc:
            found.append(f"unknown or malformed field in the number format: {exc}")
        if self.paper not in PAPER_SIZES:
            found.append(f"the paper must be one of {', '.join(PAPER_SIZES)}")
        if self.signer_nip and not (self.signer_nip.isdigit() and len(self.signer_nip) == 18):
            found.append("the signer's NIP must have 18 digits")
        if not Path(self.logo).is_file():
            found.append(f"the logo file {self.logo} does not exist")
        return found


@dataclass(frozen=True)
class SignatureSettings:
    """Which electronic-signature (TTE) provider signs the final letter, and its key.

    ``none`` signs nothing; ``pades`` signs in the worker with the PKCS#12 file's key
    (its password is kept out of ``repr`` so it never reaches a log); ``bsre`` asks
    BSrE's signing service."""

    provider: str = "none"
    p12: Path | None = None
    p12_password: str | None = field(default=None, repr=False)
    tsa_url: str | None = None  # RFC 3161 time-stamping authority (pades)
    trust_roots: Path | None = None  # PEM file; None: the configured certificate's own chain
    bsre_url: str | None = None  # BSrE's esign client service (bsre): VICON_BSRE_URL
    bsre_client_id: str | None = None
    bsre_client_secret: str | None = field(default=None, repr=False)

    def problems(self) -> list[str]:
        """Why these settings cannot be used, naming the variable, never the secret (empty when
        they can): with ``pades`` the PKCS#12 file is opened with its password at start-up."""
        if self.provider not in SIGNATURE_PROVIDERS:
            return [f"VICON_SIGNATURE_PROVIDER must be one of {', '.join(SIGNATURE_PROVIDERS)}"]
        if self.provider == "bsre":
            return [f"{name} must be set when VICON_SIGNATURE_PROVIDER is bsre" for name, value in (
                ("VICON_BSRE_URL", self.bsre_url), ("VICON_BSRE_CLIENT_ID", self.bsre_client_id),
                ("VICON_BSRE_CLIENT_SECRET", self.bsre_client_secret)) if not value]
        if self.provider != "pades":
            return []
        from engine.letters.pades import key_problems  # cryptography only when it is used
        return key_problems(self)


@dataclass(frozen=True)
class MailSettings:
    """The outgoing mail server; ``host`` None sends mail to the outbox folder."""

    host: str | None = None
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    mail_from: str | None = None
    timeout: float = 30.0
    ca_file: Path | None = None  # CA bundle the server's certificate must chain to (None: the system's)

    @property
    def enabled(self) -> bool:
        """True when mail goes out over SMTP."""
        return bool(self.host)

    @property
    def sender(self) -> str:
        """The From address (a local placeholder when none is set)."""
        return self.mail_from or "vicon@localhost"

    @property
    def domain(self) -> str:
        """The domain of Message-IDs and calendar UIDs."""
        return self.sender.rsplit("@", 1)[-1].strip(">") or "localhost"
