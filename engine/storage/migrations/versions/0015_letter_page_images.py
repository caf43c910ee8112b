"""The pages of a stored letter as PNG images, made by the worker when it stores
the PDF, so the review, signature and receipt pages show the letter itself.
Documents stored before this revision get none: their pages offer the PDF link.

Revision ID: 0015_letter_page_images
Revises: 0014_signer_nik
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = "0015_letter_page_images"
down_revision = "0014_signer_nik"
branch_labels = None
depends_on = None
TABLE = "letter_page_images"


def upgrade() -> None:
    """Create the table (a database made by ``create_all`` may have it already)."""
    if TABLE in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["letter_documents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "page"),
    )
    op.create_index(op.f("ix_letter_page_images_document_id"), TABLE, ["document_id"])


def downgrade() -> None:
    """Drop the table: pages show the PDF link only."""
    op.drop_index(op.f("ix_letter_page_images_document_id"), table_name=TABLE)
    op.drop_table(TABLE)
