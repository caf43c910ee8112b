"""Statements run on the driver (``engine.storage.prepared``) store and read what
SQLAlchemy's execution layer would, inside the session's transaction, counted by the
engine's statement listeners, with the driver's errors raised as SQLAlchemy's; writes sent
ahead (``send_waiting``) as if they had waited for the commit."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import (JSON, Boolean, Column, Integer, MetaData, String, Table, bindparam, delete, insert,
                        or_, select, text, update)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import registry
from sqlalchemy.orm.exc import StaleDataError

from benchmarks.round_trips import tracing
from benchmarks.statements import counting
from engine.storage.db import Database
from engine.storage.models import UtcDateTime
from engine.storage.prepared import Prepared, attached, attributes, rows_together, send_waiting
from tests.engine.table_db import database_with

ROWS = Table("prepared_rows", MetaData(), Column("id", Integer, primary_key=True),
             Column("at", UtcDateTime), Column("data", JSON), Column("status", String(20)),
             Column("flag", Boolean), Column("note", String(40), default="made by the ORM's default"))


class Row:
    """An ORM class over ``ROWS`` (the attached objects' class)."""


registry().map_imperatively(Row, ROWS, properties={"when": ROWS.c.at})  # an attribute named apart from its column
AT = datetime(2026, 12, 3, 14, 30, 15, 120, tzinfo=timezone(timedelta(hours=8)))  # WITA
DATA = {"b": [1, 2.5, None], "a": "rapat é", "n": 10 ** 25 + 7}
_INSERT = Prepared(insert(ROWS))
_CLOSE = Prepared(update(ROWS).where(ROWS.c.id == bindparam("of_row"), ROWS.c.status == "open")
                  .values(status="closed", at=bindparam("now")))
_OPEN_ROWS = Prepared(select(ROWS.c.id, ROWS.c.at, ROWS.c.data, ROWS.c.flag)
                      .where(or_(ROWS.c.status == "open", ROWS.c.status == "waiting")).order_by(ROWS.c.id))


@pytest.fixture
def db(database_url):
    with database_with(ROWS, database_url) as database:
        yield database


def _row(id_: int, **values) -> dict:
    return dict(id=id_, at=AT, data=DATA, status="open", flag=True, note="-") | values


def test_a_row_is_stored_as_the_execution_layer_stores_it(db):
    with db.transaction() as session:
        session.execute(insert(ROWS), _row(1))
        _INSERT.run(session, _row(2))
        _INSERT.run_many(session, [_row(3, flag=False), _row(4, data={"x": 1})])
    with db.reading() as session:
        stored = session.execute(text("SELECT id, CAST(at AS VARCHAR(60)), CAST(data AS VARCHAR(200)), flag "
                                      "FROM prepared_rows ORDER BY id")).all()
        read = session.execute(select(ROWS).order_by(ROWS.c.id)).all()
    assert stored[1][1:] == stored[0][1:]  # the same text in the columns, the time in UTC
    assert read[1][1:] == read[0][1:] == (AT, DATA, "open", True, "-")
    assert read[1].at.tzinfo == timezone.utc and isinstance(read[1].data["n"], int)
    assert (read[2].flag, read[3].data) == (False, {"x": 1})


def test_selected_values_are_converted_as_the_columns_convert_them(db):
    with db.transaction() as session:
        _INSERT.run_many(session, [_row(1), _row(2, status="waiting", flag=False), _row(3, status="closed")])
        assert _OPEN_ROWS.rows(session) == [(1, AT, DATA, True), (2, AT, DATA, False)]
        assert [r.at for r in session.execute(select(ROWS.c.at))] == [AT] * 3


def test_values_built_into_the_statement_are_used_and_the_rowcount_told(db):
    later = AT + timedelta(hours=1)
    with db.transaction() as session:
        _INSERT.run(session, _row(1))
        assert _CLOSE.run(session, {"of_row": 1, "now": later}).rowcount == 1
        assert _CLOSE.run(session, {"of_row": 1, "now": later}).rowcount == 0  # no longer open
        assert session.execute(select(ROWS.c.status, ROWS.c.at)).one() == ("closed", later)


def test_it_runs_in_the_sessions_transaction(db):
    with pytest.raises(RuntimeError), db.transaction() as session:
        _INSERT.run(session, _row(1))
        raise RuntimeError("the command failed")
    with db.transaction() as session:
        _INSERT.run(session, _row(2))
        Prepared(delete(ROWS).where(ROWS.c.id == bindparam("gone"))).run(session, {"gone": 2})
        _INSERT.run(session, _row(3))
    with db.reading() as session:
        assert session.scalars(select(ROWS.c.id)).all() == [3]


def test_a_driver_error_is_raised_as_sqlalchemys_and_nothing_is_kept(db):
    with pytest.raises(IntegrityError), db.transaction() as session:
        _INSERT.run(session, _row(1))
        _INSERT.run(session, _row(1))
    with db.reading() as session:
        assert session.scalars(select(ROWS.c.id)).all() == []


def test_the_engines_statement_listeners_see_each_statement(db):
    with db.transaction() as session, counting() as counted:
        _INSERT.run(session, _row(1))
        _INSERT.run_many(session, [_row(2), _row(3)])
        _OPEN_ROWS.rows(session)
    ran = [sql.split()[0] for sql in counted.sql if not sql.startswith("BEGIN")]  # SQLite's own BEGIN
    assert ran == ["INSERT", "INSERT", "SELECT"]


def test_a_statement_it_cannot_run_as_a_fixed_text_is_refused(db):
    with db.transaction() as session:
        with pytest.raises(ValueError, match="note"):  # the ORM's default would have filled it
            Prepared(insert(ROWS)).run(session, {"id": 1})
        with pytest.raises(ValueError, match="expanding"):
            Prepared(select(ROWS.c.id).where(ROWS.c.status.in_(("open", "closed")))).rows(session)


def test_an_attached_object_is_the_row_as_the_orm_would_have_loaded_it(db):
    names = attributes(Row)
    assert names == ("id", "when", "data", "status", "flag", "note")
    read = Prepared(select(ROWS).where(ROWS.c.id == bindparam("of_row")))
    with db.transaction() as session:
        _INSERT.run(session, _row(1))
        row = attached(session, Row, dict(zip(names, read.rows(session, {"of_row": 1})[0])))
        assert (row.when, row.data, row.status) == (AT, DATA, "open")
        assert row in session and not session.dirty and session.get(Row, 1) is row
        assert attached(session, Row, dict(zip(names, read.rows(session, {"of_row": 1})[0]))) is row
        row.status = "closed"  # tracked from the attached values: the ORM writes the change
    with db.reading() as session:
        assert session.execute(select(ROWS.c.status, ROWS.c.data)).one() == ("closed", DATA)


def _ahead(session, ahead: bool) -> None:
    """Send the writes waiting ahead (``send_waiting``) when the test's variant asks for it."""
    if ahead:
        send_waiting(session)


AHEAD = pytest.mark.parametrize("ahead", [False, True], ids=["waiting", "sent ahead"])


@AHEAD
def test_a_later_write_is_seen_by_the_next_statement_and_kept_by_the_commit(db, ahead):
    with counting() as counted, db.transaction() as session:
        _INSERT.run(session, _row(1, status="waiting"), later=True)
        _INSERT.run_many(session, [_row(2), _row(3)], later=True)
        _ahead(session, ahead)
        assert _OPEN_ROWS.rows(session) == [(1, AT, DATA, True), (2, AT, DATA, True), (3, AT, DATA, True)]
        _CLOSE.run(session, {"of_row": 2, "now": AT}, later=True)
        _ahead(session, ahead)
        session.execute(update(ROWS).where(ROWS.c.id == 3).values(flag=False))  # past this module
        _ahead(session, ahead)  # nothing waits: nothing is sent
        _CLOSE.run(session, {"of_row": 1, "now": AT}, later=True)  # waiting: the row is not open
        _CLOSE.run(session, {"of_row": 3, "now": AT}, later=True)
        _ahead(session, ahead)  # only the commit follows
    ran = [sql.split()[0] for sql in counted.sql if not sql.startswith("BEGIN")]
    assert ran == ["INSERT", "INSERT", "SELECT", "UPDATE", "UPDATE", "UPDATE", "UPDATE"]  # in the order written
    with db.reading() as session:
        assert session.execute(select(ROWS.c.id, ROWS.c.status, ROWS.c.flag).order_by(ROWS.c.id)).all() == [
            (1, "waiting", True), (2, "closed", True), (3, "closed", False)]


@AHEAD
def test_a_later_write_that_fails_at_the_commit_keeps_nothing(db, ahead):
    with pytest.raises(IntegrityError), db.transaction() as session:
        _INSERT.run(session, _row(1))
        _INSERT.run(session, _row(2), later=True)
        _INSERT.run(session, _row(1), later=True)  # a duplicate key, found when sent with the commit
        _ahead(session, ahead)  # its answer is read with the next statement's: the commit's
        _INSERT.run(session, _row(4), later=True)
    with db.reading() as session:
        assert session.scalars(select(ROWS.c.id)).all() == []
    with db.transaction() as session:  # the connection is usable again
        _INSERT.run(session, _row(3), later=True)
        _ahead(session, ahead)
    with db.reading() as session:
        assert session.scalars(select(ROWS.c.id)).all() == [3]


@AHEAD
def test_later_writes_of_a_rolled_back_transaction_are_not_kept(db, ahead):
    with pytest.raises(RuntimeError), db.transaction() as session:
        _INSERT.run(session, _row(1), later=True)
        _ahead(session, ahead)
        raise RuntimeError("the command failed")
    with db.transaction() as session:  # the same pooled connection: nothing of the first is left waiting
        _INSERT.run(session, _row(2))
    with db.reading() as session:
        assert session.scalars(select(ROWS.c.id)).all() == [2]


def test_a_read_session_refuses_to_write(db):
    from engine.storage.db import ReadOnlySession
    with db.transaction() as session:
        _INSERT.run(session, _row(1))
    with pytest.raises(ReadOnlySession), db.reading() as session:
        row = session.get(Row, 1)
        row.status = "closed"
        session.flush()
    with db.reading() as session:
        assert session.get(Row, 1).status == "open"
        assert _OPEN_ROWS.rows(session) == [(1, AT, DATA, True)]  # reading works on after it


@AHEAD
def test_a_write_of_exactly_one_row_loses_to_a_changed_row_and_keeps_nothing(db, ahead):
    with db.transaction() as session:
        _INSERT.run(session, _row(1))
        _CLOSE.run_one(session, {"of_row": 1, "now": AT})
    with pytest.raises(StaleDataError), db.transaction() as session:
        _INSERT.run(session, _row(2), later=True)
        _CLOSE.run_one(session, {"of_row": 1, "now": AT})  # closed already: no row changes
        _ahead(session, ahead)  # the check's failure is read with the commit's answers
        _INSERT.run(session, _row(3), later=True)  # PostgreSQL: sent with the check, at the commit
    with db.reading() as session:
        assert session.execute(select(ROWS.c.id, ROWS.c.status)).all() == [(1, "closed")]


def _locks_of(database, pid: int) -> list:
    import psycopg
    url = database.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        return [r[0] for r in other.execute(
            "SELECT mode FROM pg_locks WHERE pid = %s AND relation = 'prepared_rows'::regclass", (pid,))]


@pytest.fixture
def traced(postgres_url):
    """(the database, a libpq tracer, a second database on it whose connections are traced and
    already made): for counting a transaction's round trips on PostgreSQL."""
    database = Database(postgres_url)
    ROWS.drop(database.write_engine, checkfirst=True)
    ROWS.create(database.write_engine)
    try:
        with database.transaction() as session:  # a first transaction: the pooled connection is made
            _INSERT.run(session, _row(1))
        with tracing() as tracer:
            other = Database(postgres_url)
            try:
                with other.transaction() as session:  # connects (not counted), then one round trip
                    _INSERT.run(session, _row(9))
                yield database, tracer, other
            finally:
                other.dispose()
    finally:
        ROWS.drop(database.write_engine)
        database.dispose()


@pytest.mark.postgres
def test_writes_sent_ahead_run_on_the_server_while_the_command_goes_on_in_no_round_trip_of_their_own(traced):
    import time
    database, tracer, other = traced
    with tracer.counting() as trips, other.transaction() as session:
        _INSERT.run(session, _row(2), later=True)
        send_waiting(session)
        pid = session.connection().connection.driver_connection.info.backend_pid
        deadline, locks = time.monotonic() + 10, []
        while not locks and time.monotonic() < deadline:  # the server takes the insert's lock
            locks = _locks_of(database, pid)
        _INSERT.run(session, _row(3), later=True)
    assert locks == ["RowExclusiveLock"]
    assert trips.count == 1 and _seen_elsewhere(database) == [1, 2, 3, 9]


def _seen_elsewhere(database) -> list:
    """The rows' ids as another connection, outside the pool, sees them (what is committed)."""
    import psycopg
    url = database.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        return [r[0] for r in other.execute("SELECT id FROM prepared_rows ORDER BY id")]


@pytest.mark.postgres
@pytest.mark.parametrize("first", ["prepared", "execution layer"])
def test_a_write_transaction_begins_with_its_first_statement_and_is_isolated(postgres_url, first):
    database = Database(postgres_url)
    ROWS.create(database.write_engine)
    try:
        for _ in range(2):  # the same pooled connection, read in autocommit between the transactions
            with database.reading() as session:
                assert session.scalars(select(ROWS.c.id)).all() == []
            with pytest.raises(RuntimeError), database.transaction() as session:
                if first == "prepared":
                    _INSERT.run(session, _row(1))
                else:
                    session.execute(insert(ROWS), _row(1))
                _INSERT.run(session, _row(2))
                assert _seen_elsewhere(database) == []  # in a transaction: nothing committed yet
                raise RuntimeError("the command failed")
        with database.transaction():
            pass  # nothing sent: nothing to begin or commit
        with database.transaction() as session:
            _INSERT.run_many(session, [_row(1), _row(2)])
            assert _seen_elsewhere(database) == []
        assert _seen_elsewhere(database) == [1, 2]
    finally:
        ROWS.drop(database.write_engine)
        database.dispose()


def test_reads_together_answer_each_in_order_and_see_the_writes_waiting(db):
    by_status = Prepared(select(ROWS.c.id).where(ROWS.c.status == bindparam("wanted")).order_by(ROWS.c.id))
    with counting() as counted, db.transaction() as session:
        _INSERT.run_many(session, [_row(1), _row(2, status="closed"), _row(3, status="waiting")], later=True)
        opened, closed, none = rows_together(session, (_OPEN_ROWS, {}), (by_status, {"wanted": "closed"}),
                                             (by_status, {"wanted": "gone"}))
    assert opened == [(1, AT, DATA, True), (3, AT, DATA, True)] and closed == [(2,)] and none == []
    ran = [sql.split()[0] for sql in counted.sql if not sql.startswith("BEGIN")]
    assert ran == ["INSERT", "SELECT", "SELECT", "SELECT"]


def test_a_read_at_commit_sees_every_write_of_its_transaction_and_is_known_once_committed(db):
    with db.transaction() as session:
        _INSERT.run(session, _row(1))
        pending = _OPEN_ROWS.rows_at_commit(session)
        _INSERT.run(session, _row(2, status="waiting", flag=False), later=True)  # asked for after the read
        with pytest.raises(RuntimeError):
            pending.rows()  # not read yet: the transaction has not committed
    assert pending.rows() == [(1, AT, DATA, True), (2, AT, DATA, False)]


def test_a_read_at_commit_of_a_rolled_back_transaction_is_never_known(db):
    with pytest.raises(ZeroDivisionError):
        with db.transaction() as session:
            _INSERT.run(session, _row(1))
            pending = _OPEN_ROWS.rows_at_commit(session)
            raise ZeroDivisionError
    with pytest.raises(RuntimeError):
        pending.rows()
    with db.transaction() as session:  # the connection carries nothing of it to the next transaction
        _INSERT.run(session, _row(1))
    with db.reading() as session:
        assert _OPEN_ROWS.rows(session) == [(1, AT, DATA, True)]


@pytest.mark.postgres
def test_a_read_at_commit_waits_for_the_server_with_the_writes_and_the_commit(traced):
    _database, tracer, other = traced
    with tracer.counting() as trips, other.transaction() as session:
        _INSERT.run(session, _row(2), later=True)
        pending = _OPEN_ROWS.rows_at_commit(session)
    assert trips.count == 1 and [row[0] for row in pending.rows()] == [1, 2, 9]
