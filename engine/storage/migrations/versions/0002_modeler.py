"""Drafts saved from the modeler (``process_drafts``).

Revision ID: 0002_modeler
Revises: 0001_initial
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_modeler"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the drafts table."""
    # a database made by create_all (stamped at the baseline) may have it already
    if sa.inspect(op.get_bind()).has_table("process_drafts"):
        return
    op.create_table(
        "process_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("bpmn", sa.LargeBinary(), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("saved_by", sa.String(length=80), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_process_drafts_key_saved", "process_drafts", ["key", "saved_at"], unique=False)


def downgrade() -> None:
    """Drop the drafts table."""
    op.drop_index("ix_process_drafts_key_saved", table_name="process_drafts")
    op.drop_table("process_drafts")
