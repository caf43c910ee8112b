"""Engine settings, handed in by whoever builds the engine (never read from
the environment here)."""
from __future__ import annotations

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
    extra: dict = field(default_factory=dict)
