"""A session epoch per account: bearer tokens and session cookies carry the
epoch they were issued in, and signing out, a password reset or deactivation
raises it, ending all of them.

Revision ID: 0010_session_epoch
Revises: 0009_step_time_rule
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_session_epoch"
down_revision = "0009_step_time_rule"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``users.session_epoch`` (a database made by ``create_all`` may have it already)."""
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}
    if "session_epoch" not in columns:
        with op.batch_alter_table("users") as batch:
            batch.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    """Drop the column: every account is back to one endless epoch."""
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
