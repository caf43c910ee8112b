"""Schema migrations with Alembic, run in code (no ini file).

``upgrade`` brings any database to the newest revision: an empty one gets
every migration, one made by the old ``create_all`` (tables but no
``alembic_version``) is first stamped at the baseline revision whose schema
it has, then upgraded.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_initial"  # the schema create_all made before migrations existed
VERSION_TABLE = "alembic_version"
LOCK_KEY = 0x7669636F6E  # "vicon": the advisory lock app and worker processes migrate under


def alembic_config(connection=None) -> Config:
    """Alembic's configuration for vicon's migrations, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s")  # new files are named by their id
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if revision is None:
        raise RuntimeError("engine/storage/migrations holds no revision")
    return revision


def current(connection) -> str | None:
    """The revision ``connection``'s database is at (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(db) -> None:
    """Upgrade ``db`` (a ``Database``) to the newest revision."""
    with db.write_engine.begin() as connection:
        lock(connection)
        config = alembic_config(connection)
        if _made_by_create_all(connection):
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def lock(connection) -> None:
    """Hold vicon's start-up lock until ``connection``'s transaction ends."""
    # App and worker processes start together: on PostgreSQL the first one
    # migrates while the others wait, then find the schema at head. SQLite's
    # BEGIN IMMEDIATE (db.py) serializes them already.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def _made_by_create_all(connection) -> bool:
    # The instances table exists from the very first schema on.
    tables = set(inspect(connection).get_table_names())
    return VERSION_TABLE not in tables and "instances" in tables
