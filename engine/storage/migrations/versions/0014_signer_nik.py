"""Each signer's NIK (Nomor Induk Kependudukan, 16 digits) on their account:
BSrE's e-sign service signs with the certificate issued to that NIK. Personal
data: exported and erased with the person's data.

Revision ID: 0014_signer_nik
Revises: 0013_verification_tokens
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_signer_nik"
down_revision = "0013_verification_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``users.nik`` (a database made by ``create_all`` may have it already)."""
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}
    if "nik" not in columns:
        with op.batch_alter_table("users") as batch:
            batch.add_column(sa.Column("nik", sa.String(16), nullable=True))


def downgrade() -> None:
    """Drop the column: BSrE signing has no NIK to sign with until it is entered again."""
    # A plain ALTER (SQLite 3.35+): batch mode would copy and drop ``users``,
    # which the other tables' foreign keys forbid while they are enforced.
    op.drop_column("users", "nik")
