"""Tables of the managers' monitoring: the time each request spent in each
SOP step, projected from the audit trail so dashboards aggregate rows
instead of replaying chains."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.models import Base, Instance, UtcDateTime


class StepTime(Base):
    """One finished SOP step of one request: when it started and ended, the
    office time it took, its standard and by how much it overran."""

    __tablename__ = "step_times"
    __table_args__ = (Index("ix_step_times_month_step", "month", "step", "breached"),
                      Index("ix_step_times_ended_step", "ended_at", "step", "minutes"))
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(Integer, unique=True)  # the audit event that ended it
    instance_id: Mapped[str] = mapped_column(String(36), index=True)
    step: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(80))
    agency_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime] = mapped_column(UtcDateTime)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM of the end, in WITA
    minutes: Mapped[int] = mapped_column(Integer)  # office minutes between start and end
    standard: Mapped[str | None] = mapped_column(String(40))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    breached: Mapped[bool] = mapped_column(Boolean, default=False)
    late_minutes: Mapped[int] = mapped_column(Integer, default=0)  # office minutes past due
    actor: Mapped[str | None] = mapped_column(String(80))


class StepDay(Base):
    """Finished steps per day (WITA), step and time bucket: the dashboard's medians
    and counts read a few hundred of these rows whatever the volume."""

    __tablename__ = "step_days"
    __table_args__ = (Index("ix_step_days_bucket_day", "bucket", "day", "step", "finished", "breached"),)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD of the end, in WITA
    step: Mapped[str] = mapped_column(String(200), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)  # office minutes, rounded; -1: the totals
    finished: Mapped[int] = mapped_column(Integer, default=0)
    breached: Mapped[int] = mapped_column(Integer, default=0)


# requests per month, agency and outcome are counted from this index alone
Index("ix_instances_created_agency_outcome", Instance.created_at, Instance.agency_id, Instance.outcome)
