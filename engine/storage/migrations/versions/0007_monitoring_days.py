"""Finished steps counted per day (the dashboard's medians and compliance at any
volume), and an index that counts requests per month, agency and outcome.

Revision ID: 0007_monitoring_days
Revises: 0006_monitoring_instances
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_monitoring_days"
down_revision = "0006_monitoring_instances"
branch_labels = None
depends_on = None
INDEX = "ix_instances_created_agency_outcome"


def upgrade() -> None:
    """Create ``step_days`` (filled from ``step_times``) and the index (``create_all`` may have made them)."""
    inspector = sa.inspect(op.get_bind())
    if INDEX not in {i["name"] for i in inspector.get_indexes("instances")}:
        op.create_index(INDEX, "instances", ["created_at", "agency_id", "outcome"], unique=False)
    if "step_days" in set(inspector.get_table_names()):
        return
    op.create_table(
        "step_days",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("step", sa.String(length=200), nullable=False),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("finished", sa.Integer(), nullable=False),
        sa.Column("breached", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "step", "bucket"),
    )
    op.create_index("ix_step_days_bucket_day", "step_days", ["bucket", "day", "step", "finished", "breached"],
                    unique=False)
    # steps projected before this revision: recounted by the projection from scratch
    op.execute("DELETE FROM step_times")


def downgrade() -> None:
    """Drop ``step_days`` and the index."""
    op.drop_table("step_days")
    op.drop_index(INDEX, table_name="instances")
