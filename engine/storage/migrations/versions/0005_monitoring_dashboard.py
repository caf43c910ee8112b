"""The time each request spent in each SOP step (managers' dashboard and recap).

Revision ID: 0005_monitoring_dashboard
Revises: 0004_privacy
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_monitoring_dashboard"
down_revision = "0004_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``step_times`` (a database made by ``create_all`` may have it already)."""
    if "step_times" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "step_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("lane", sa.String(length=80), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("standard", sa.String(length=40), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("breached", sa.Boolean(), nullable=False),
        sa.Column("late_minutes", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index("ix_step_times_instance_id", "step_times", ["instance_id"], unique=False)
    op.create_index("ix_step_times_month_step", "step_times", ["month", "step", "breached"], unique=False)
    op.create_index("ix_step_times_ended_step", "step_times", ["ended_at", "step", "minutes"], unique=False)


def downgrade() -> None:
    """Drop ``step_times``."""
    op.drop_index("ix_step_times_ended_step", table_name="step_times")
    op.drop_index("ix_step_times_month_step", table_name="step_times")
    op.drop_index("ix_step_times_instance_id", table_name="step_times")
    op.drop_table("step_times")
