"""Engine settings, handed in by whoever builds the engine (never read from
the environment here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.calendar.durations import duration_words
from engine.letters.config import LetterSettings, MailSettings, SignatureSettings

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ZoomSettings:
    """Zoom Server-to-Server OAuth credentials and the client's limits."""

    account_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    base_url: str = "https://api.zoom.us/v2"
    oauth_url: str = "https://zoom.us/oauth/token"
    timezone: str = "Asia/Singapore"  # a UTC+8 id on Zoom's list (Asia/Makassar may not be)
    timeout_seconds: float = 10.0
    max_tries: int = 3  # per call, for waits short enough to spend inside the job
    backoff_seconds: float = 1.0
    max_wait_seconds: float = 30.0  # a longer Retry-After goes back to the worker's queue
    token_margin_seconds: float = 300.0  # renew the token this long before it expires

    @property
    def configured(self) -> bool:
        """True when all three credentials are set."""
        return bool(self.account_id and self.client_id and self.client_secret)


@dataclass(frozen=True)
class Settings:
    """Everything the engine is configured with."""

    database_url: str = "sqlite:///instance/vicon.sqlite"
    outbox_dir: Path = PROJECT_ROOT / "instance" / "outbox"
    processes_dir: Path = PROJECT_ROOT / "processes"
    forms_dir: Path = PROJECT_ROOT / "forms"
    schedule_buffer_minutes: int = 30
    meeting_provider: str = "manual"
    job_max_attempts: int = 5
    job_backoff_seconds: float = 10.0
    job_lease_seconds: int = 300
    demo: bool = False
    office_hours: dict | None = None  # weekday -> ((open, close), ...); None: a Tarakan city office
    lead_time: str = "P1D"  # how long before the meeting a request must come, in working time
    zoom: ZoomSettings = field(default_factory=ZoomSettings)
    jitsi_base_url: str | None = None
    busy_sync_seconds: float = 300.0  # how often the worker reads the hosts' meetings from Zoom
    busy_sync_days: int = 60  # how far ahead
    retention_days: int = 365  # contacts' personal data is erased this long after the meeting
    retention_sweep_seconds: float = 3600.0  # how often the worker looks for requests to erase
    letters: LetterSettings = field(default_factory=LetterSettings)
    public_url: str = "http://127.0.0.1:5000"  # what the QR on a letter leads to (VICON_PUBLIC_URL)
    mail: MailSettings | None = None  # None: mail goes to the outbox folder
    signature: SignatureSettings = field(default_factory=SignatureSettings)  # VICON_SIGNATURE_PROVIDER, ...
    extra: dict = field(default_factory=dict)

    @property
    def lead_time_label(self) -> str:
        """The lead time in words (Indonesian), e.g. ``1 hari kerja``."""
        return duration_words(self.lead_time, "id")

    @property
    def lead_time_label_en(self) -> str:
        """The lead time in words (English)."""
        return duration_words(self.lead_time, "en")
