"""Personal data retention: audit hash scheme per event, erasure time per request.

Revision ID: 0004_privacy
Revises: 0003_accounts
Create Date: 2026-11-28

Existing events keep scheme 1 (their hash covers their data as stored).
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_privacy"
down_revision = "0003_accounts"
branch_labels = None
depends_on = None


def _columns(table: str) -> set:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    """Add ``audit_events.scheme`` and ``instances.personal_erased_at`` (unless present)."""
    if "scheme" not in _columns("audit_events"):
        with op.batch_alter_table("audit_events") as batch:
            batch.add_column(sa.Column("scheme", sa.Integer(), server_default="1", nullable=False))
    if "personal_erased_at" not in _columns("instances"):
        with op.batch_alter_table("instances") as batch:
            batch.add_column(sa.Column("personal_erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop both columns."""
    with op.batch_alter_table("instances") as batch:
        batch.drop_column("personal_erased_at")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("scheme")
