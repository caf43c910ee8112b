"""Failed sign-ins kept in the database, so the sign-in limit holds across
every server process (it lived in each process's memory).

Revision ID: 0011_sign_in_failures
Revises: 0010_session_epoch
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_sign_in_failures"
down_revision = "0010_session_epoch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (a database made by ``create_all`` may have it already)."""
    if "sign_in_failures" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_failures_key_at", "sign_in_failures", ["key", "at"])
    op.create_index(op.f("ix_sign_in_failures_at"), "sign_in_failures", ["at"])


def downgrade() -> None:
    """Drop the table: the limit forgets every failure."""
    op.drop_index(op.f("ix_sign_in_failures_at"), table_name="sign_in_failures")
    op.drop_index("ix_sign_in_failures_key_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
