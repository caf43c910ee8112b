"""Searching requests by topic or letter number (any part of the text): on
PostgreSQL trigram indexes (``pg_trgm``, a trusted extension), which ILIKE
'%...%' uses; elsewhere plain indexes, as ``create_all`` makes them.

Revision ID: 0008_instances_search
Revises: 0007_monitoring_days
Create Date: 2026-11-29
"""
import logging

from alembic import op
import sqlalchemy as sa

revision = "0008_instances_search"
down_revision = "0007_monitoring_days"
branch_labels = None
depends_on = None

log = logging.getLogger("vicon.migrations")
INDEXES = {"ix_instances_topic_trgm": "topic", "ix_instances_letter_number_trgm": "letter_number"}


def upgrade() -> None:
    """Create the indexes (a database made by ``create_all`` may have them already)."""
    bind = op.get_bind()
    existing = {i["name"] for i in sa.inspect(bind).get_indexes("instances")}
    postgres = bind.dialect.name == "postgresql"
    if postgres and not _trigrams(bind):
        return
    for name, column in INDEXES.items():
        if name in existing:
            continue
        if postgres:
            op.create_index(name, "instances", [column], postgresql_using="gin",
                            postgresql_ops={column: "gin_trgm_ops"})
        else:
            op.create_index(name, "instances", [column])


def _trigrams(bind) -> bool:
    """Install pg_trgm; False (search still works, scanning) when the account may not."""
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        return True
    except sa.exc.DBAPIError as error:
        log.warning("pg_trgm not installed (%s): searching requests scans the table", error)
        return False


def downgrade() -> None:
    """Drop the indexes (the extension stays: other objects may use it)."""
    existing = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("instances")}
    for name in INDEXES:
        if name in existing:
            op.drop_index(name, table_name="instances")
