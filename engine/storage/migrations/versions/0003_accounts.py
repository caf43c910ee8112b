"""Public tracking links, acting officials (Plt), the log of account changes.

Revision ID: 0003_accounts
Revises: 0002_modeler
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_accounts"
down_revision = "0002_modeler"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables (a database made by ``create_all`` may have them already)."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "tracking_links" not in existing:
        _tracking_links()
    if "delegations" not in existing:
        _delegations()
    if "account_events" not in existing:
        _account_events()


def _tracking_links() -> None:
    op.create_table(
        "tracking_links",
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["instances.id"]),
        sa.PrimaryKeyConstraint("instance_id"),
        sa.UniqueConstraint("token"),
    )


def _delegations() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official", sa.String(length=80), nullable=False),
        sa.Column("deputy", sa.String(length=80), nullable=False),
        sa.Column("lane", sa.String(length=40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegations_official", "delegations", ["official"], unique=False)
    op.create_index("ix_delegations_deputy_days", "delegations", ["deputy", "starts_on", "ends_on"], unique=False)


def _account_events() -> None:
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_events_at", "account_events", ["at"], unique=False)
    op.create_index("ix_account_events_target", "account_events", ["target"], unique=False)


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index("ix_account_events_target", table_name="account_events")
    op.drop_index("ix_account_events_at", table_name="account_events")
    op.drop_table("account_events")
    op.drop_index("ix_delegations_deputy_days", table_name="delegations")
    op.drop_index("ix_delegations_official", table_name="delegations")
    op.drop_table("delegations")
    op.drop_table("tracking_links")
