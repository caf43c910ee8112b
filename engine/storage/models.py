"""The tables. Times are stored in UTC (timezone-aware columns)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (DDL, JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary,
                        String, Text, UniqueConstraint, event)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base."""


class Agency(Base):
    """A city agency (OPD) that requests meetings."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))


class User(Base):
    """An account; an OPD account belongs to one agency."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[str | None] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    nik: Mapped[str | None] = mapped_column(String(16))  # the BSrE signer's NIK (personal data)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Raised to end every token and session cookie of the account (sign-out,
    # password reset, deactivation): both carry the epoch they were issued in.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UserRole(Base):
    """A role held by a user."""

    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class HostAccount(Base):
    """A licensed Zoom user we own."""

    __tablename__ = "host_accounts"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    max_participants: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ProcessVersion(Base):
    """An immutable deployed version: BPMN and forms, hashed together."""

    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "hash"))
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    bpmn: Mapped[bytes] = mapped_column(LargeBinary)
    forms: Mapped[dict] = mapped_column(JSON)
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deployed_by: Mapped[str | None] = mapped_column(String(80))


class Instance(Base):
    """A request: its state (without the spec) and what lists show."""

    __tablename__ = "instances"
    # No index of its own on status, outcome, agency or submission time: each leads one of these
    # (the time leads ``ix_instances_created_agency_outcome``), and every index is written again by
    # each step's update of the row (its next timer moves, so the update is never HOT)
    __table_args__ = (Index("ix_instances_status_timer", "status", "next_timer_at"),
                      Index("ix_instances_status_expiry", "status", "expires_at"),
                      # the managers' list: a filter, then newest first
                      Index("ix_instances_status_created", "status", "created_at"),
                      Index("ix_instances_outcome_created", "outcome", "created_at"),
                      Index("ix_instances_agency_created", "agency_id", "created_at"),
                      # searching any part of the text: trigram indexes on PostgreSQL
                      Index("ix_instances_topic_trgm", "topic", postgresql_using="gin",
                            postgresql_ops={"topic": "gin_trgm_ops"}),
                      Index("ix_instances_letter_number_trgm", "letter_number", postgresql_using="gin",
                            postgresql_ops={"letter_number": "gin_trgm_ops"}))
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    status: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(40))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    topic: Mapped[str] = mapped_column(String(200), default="")
    letter_number: Mapped[str] = mapped_column(String(100), default="")
    meeting_start: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    state: Mapped[bytes] = mapped_column(LargeBinary)  # engine.state.pack_state
    facts: Mapped[dict] = mapped_column(JSON, default=dict)  # what views show, so they never unpack state
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)
    next_timer_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)  # unfulfilled at the meeting
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(80))
    head_hash: Mapped[str] = mapped_column(String(64), default="")
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    personal_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # engine.privacy

    __mapper_args__ = {"version_id_col": lock_version}


# create_all on PostgreSQL: the trigram indexes need their extension first (migration 0008)
event.listen(Instance.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class ReadyTaskRow(Base):
    """Projection of ready human tasks; every list reads it."""

    __tablename__ = "ready_tasks"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    element_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(80), index=True)
    form_key: Mapped[str | None] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    remind_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Job(Base):
    """An external service task waiting for the worker."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36), unique=True)
    element_id: Mapped[str] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))  # pending|running|done|incident|cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ServiceCall(Base):
    """The journal of external calls that succeeded, by idempotency key:
    a job whose result was not applied reuses it instead of calling again."""

    __tablename__ = "service_calls"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    operator: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(20))  # result|bpmn_error
    payload: Mapped[dict] = mapped_column(JSON)
    called_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEvent(Base):
    """Append-only; one hash chain per instance."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("instance_id", "seq"),)  # also the index by instance
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"))
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str | None] = mapped_column(String(80))
    on_behalf_of: Mapped[str | None] = mapped_column(String(80))
    lane: Mapped[str | None] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(40))
    task: Mapped[str | None] = mapped_column(String(200))
    task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    scheme: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # engine.audit


class Booking(Base):
    """A host account taken for a request's meeting window."""

    __tablename__ = "bookings"
    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[str] = mapped_column(ForeignKey("host_accounts.id"), index=True)
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    start: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UtcDateTime)


class ExternalBooking(Base):
    """A meeting a host account has at the provider that no request of ours
    made (someone used the Zoom app): copied by the worker's busy-time sync so
    the schedule check counts it without calling out."""

    __tablename__ = "external_bookings"
    id: Mapped[int] = mapped_column(primary_key=True)
    host_id: Mapped[str] = mapped_column(ForeignKey("host_accounts.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(80))
    topic: Mapped[str] = mapped_column(String(300), default="")
    start: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UtcDateTime)
    synced_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MeetingChange(Base):
    """A change staff made to a created meeting (a new time), carried out at
    the provider by the worker's job ``job_task_id``."""

    __tablename__ = "meeting_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    job_task_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # reschedule
    params: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON)
    requested_by: Mapped[str] = mapped_column(String(80))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Meeting(Base):
    """The meeting made for a request."""

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(40))
    meeting_id: Mapped[str] = mapped_column(String(40))
    passcode: Mapped[str | None] = mapped_column(String(40))
    join_url: Mapped[str | None] = mapped_column(String(500))
    host_id: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Letter(Base):
    """A letter or notice sent to the agency."""

    __tablename__ = "letters"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("instances.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    document: Mapped[str] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Notification(Base):
    """A message for one user: a reminder, an escalation or news of a request."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_mail", "email_status", "email_next_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(40))  # reminder|escalation
    message_id: Mapped[str] = mapped_column(String(500))
    message_en: Mapped[str] = mapped_column(String(500))
    # what the words are made of when read (engine.notifications.texts); None: the stored text
    params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    email_status: Mapped[str] = mapped_column(String(20), default="none")  # none|pending|sending|sent|failed
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_next_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ClosedDay(Base):
    """A day the office is closed: a national holiday or collective leave."""

    __tablename__ = "closed_days"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # libur_nasional|cuti_bersama|lainnya
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)


class Escalation(Base):
    """A step that overran its time standard."""

    __tablename__ = "escalations"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str | None] = mapped_column(String(36), index=True)
    step: Mapped[str] = mapped_column(String(200))
    standard: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
