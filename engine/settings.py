"""Engine settings, handed in by whoever builds the engine (never read from
the environment here)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


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
    reminder_at: float = 2 / 3  # remind assignees when this share of a time standard has passed
    extra: dict = field(default_factory=dict)

    @property
    def lead_time_label(self) -> str:
        """The lead time in words (Indonesian), e.g. ``1 hari kerja``."""
        return _duration_words(self.lead_time, {"D": "hari kerja", "H": "jam kerja", "M": "menit kerja"})

    @property
    def lead_time_label_en(self) -> str:
        """The lead time in words (English)."""
        return _duration_words(self.lead_time, {"D": "working day(s)", "H": "working hour(s)",
                                                "M": "working minute(s)"})


def _duration_words(duration: str, units: dict) -> str:
    days, _, clock = duration.removeprefix("P").partition("T")
    found = [(int(n) * 5 if u == "W" else int(n), "D") for n, u in re.findall(r"(\d+)([WD])", days)]
    found += re.findall(r"(\d+)([HM])", clock)
    return " ".join(f"{n} {units[u]}" for n, u in found) or duration
