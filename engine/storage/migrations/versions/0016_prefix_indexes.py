"""Indexes that repeat the first column of another are dropped: every step of a request
updates its instance row, and a row whose next timer moves writes an entry in each of
its indexes (sixteen before this revision); an audit event wrote one in each of three.
The composite indexes that lead with the same column serve the same reads.

Revision ID: 0016_prefix_indexes
Revises: 0015_letter_page_images
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa

revision = "0016_prefix_indexes"
down_revision = "0015_letter_page_images"
branch_labels = None
depends_on = None

# index -> (table, column); what replaces each: (status, ...), (outcome, created_at),
# (agency_id, created_at), (created_at, agency_id, outcome), UNIQUE (instance_id, seq)
DROPPED = {"ix_instances_status": ("instances", "status"),
           "ix_instances_outcome": ("instances", "outcome"),
           "ix_instances_agency_id": ("instances", "agency_id"),
           "ix_instances_created_at": ("instances", "created_at"),
           "ix_audit_events_instance_id": ("audit_events", "instance_id")}


def _existing(table: str) -> set:
    return {i["name"] for i in sa.inspect(op.get_bind()).get_indexes(table)}


def upgrade() -> None:
    """Drop the indexes (a database made by ``create_all`` of newer models lacks them)."""
    for name, (table, _) in DROPPED.items():
        if name in _existing(table):
            op.drop_index(name, table_name=table)


def downgrade() -> None:
    """Create them again."""
    for name, (table, column) in DROPPED.items():
        if name not in _existing(table):
            op.create_index(name, table, [column], unique=False)
