"""Indexes for the managers' list of requests: each equality filter with the
submission time, so a filtered page is read in order instead of sorted.

Revision ID: 0006_monitoring_instances
Revises: 0005_monitoring_dashboard
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_monitoring_instances"
down_revision = "0005_monitoring_dashboard"
branch_labels = None
depends_on = None

INDEXES = {"ix_instances_status_created": ["status", "created_at"],
           "ix_instances_outcome_created": ["outcome", "created_at"],
           "ix_instances_agency_created": ["agency_id", "created_at"]}


def upgrade() -> None:
    """Create the indexes (a database made by ``create_all`` may have them already)."""
    existing = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("instances")}
    for name, columns in INDEXES.items():
        if name not in existing:
            op.create_index(name, "instances", columns, unique=False)


def downgrade() -> None:
    """Drop the indexes."""
    for name in INDEXES:
        op.drop_index(name, table_name="instances")
