"""Schema migrations: the models and the migrations describe the same schema,
and a database made by the old ``create_all`` is taken over safely."""
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from engine.storage import metadata, schema
from engine.storage.db import Database


def _database(url):
    return Database(url)


def test_models_and_migrations_agree(database_url):
    db = _database(database_url)
    try:
        db.upgrade_schema()
        with db.write_engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata.target()) == []
            assert schema.current(conn) == schema.head()
    finally:
        db.dispose()


def test_every_table_is_created_by_the_migrations(database_url):
    db = _database(database_url)
    try:
        db.upgrade_schema()
        with db.write_engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert set(metadata.target().tables) | {schema.VERSION_TABLE} == tables
    finally:
        db.dispose()


def test_a_create_all_database_is_stamped_and_upgraded_keeping_its_rows(database_url):
    db = _database(database_url)
    try:
        metadata.target().create_all(db.write_engine)  # what setup() did before migrations
        with db.write_engine.begin() as conn:
            conn.execute(text("INSERT INTO agencies (code, name) VALUES ('dinkes', 'Dinas Kesehatan')"))
        db.upgrade_schema()
        db.upgrade_schema()  # a second start finds nothing to do
        with db.write_engine.connect() as conn:
            assert schema.current(conn) == schema.head()
            assert conn.execute(text("SELECT name FROM agencies")).scalar() == "Dinas Kesehatan"
    finally:
        db.dispose()


def test_downgrade_to_nothing_and_back(database_url):
    db = _database(database_url)
    try:
        db.upgrade_schema()
        with db.write_engine.begin() as conn:
            command.downgrade(schema.alembic_config(conn), "base")
        with db.write_engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {schema.VERSION_TABLE}
        db.upgrade_schema()
        with db.write_engine.connect() as conn:
            assert schema.current(conn) == schema.head()
    finally:
        db.dispose()
