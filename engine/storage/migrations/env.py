"""Alembic's environment: run migrations on the connection vicon hands in.

vicon never runs Alembic from an ini file: ``engine.storage.schema`` builds the
configuration in code and passes an open connection in
``config.attributes["connection"]``, so the engine's own connection set-up
(SQLite pragmas, BEGIN IMMEDIATE) applies to migrations too.
"""
from __future__ import annotations

from alembic import context

from engine.storage import metadata
from engine.storage.models import UtcDateTime

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("vicon migrations run through engine.storage.schema (no connection given)")


def render_item(kind, obj, _autogen_context):
    """Autogenerate writes ``UtcDateTime`` as the column type it is: the UTC
    conversion happens in Python, the database sees ``DateTime(timezone=True)``."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=metadata.target(),
    # SQLite cannot ALTER most things: batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
