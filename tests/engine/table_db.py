"""A database for a test module's own table: made afresh before each test and dropped after."""
import contextlib

from engine.storage.db import Database


@contextlib.contextmanager
def database_with(table, url: str):
    """A ``Database`` on ``url`` holding ``table`` (made afresh), closed and the table dropped after."""
    database = Database(url)
    table.drop(database.write_engine, checkfirst=True)
    table.create(database.write_engine)
    try:
        yield database
    finally:
        database.dispose()  # the kept write sessions first: the drop takes a connection of its own
        table.drop(database.write_engine, checkfirst=True)
        database.write_engine.dispose()
