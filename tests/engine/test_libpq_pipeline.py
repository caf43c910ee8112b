"""Statements sent on libpq's pipeline directly (``engine.storage.libpq_pipeline``): named
placeholders numbered, values dumped and rows loaded by psycopg's adapters, a statement
prepared once per connection and parameter types and not deallocated by psycopg, a failed
statement raised as psycopg's error with the rest skipped, and nothing sent when a value
cannot be adapted; statements pushed ahead run while the caller goes on, their failure raised
by the next send; a COMMIT sent ahead leaves its answer for ``finish`` while the answers before
it come at once."""
from datetime import datetime, timezone

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sqlalchemy.engine import make_url

from engine.storage.libpq_pipeline import (abandon, commit_ahead, committing, finish, keep_prepared, numbered, push,
                                          pushed, send)

ROW = "INSERT INTO pipeline_rows (id, note, data, at, blob) VALUES (%(id)s, %(note)s, %(data)s, %(at)s, %(blob)s)"
AT = datetime(2026, 12, 4, 6, 30, tzinfo=timezone.utc)


def test_named_placeholders_are_numbered_in_order_and_a_repeated_name_keeps_its_number():
    text, names = numbered("SELECT %(b)s, %(a)s::INTEGER, %(b)s || 'x%%'", "utf-8")
    assert text == b"SELECT $1, $2::INTEGER, $1 || 'x%'"
    assert names == ("b", "a")


def test_a_placeholder_other_than_a_named_one_is_refused():
    with pytest.raises(ValueError, match="other than"):
        numbered("SELECT %s", "utf-8")


def _libpq_url(postgres_url: str) -> str:
    """The test database's URL as libpq takes it (as the pool checks make theirs)."""
    return make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def driver(postgres_url):
    url = _libpq_url(postgres_url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS pipeline_rows")
        conn.execute("CREATE TABLE pipeline_rows (id INTEGER PRIMARY KEY, note TEXT, data JSONB, "
                     "at TIMESTAMPTZ, blob BYTEA)")
        yield conn
    with psycopg.connect(url, autocommit=True) as conn:  # the test's own may be closed
        conn.execute("DROP TABLE pipeline_rows")


def _row(id_, **values) -> dict:
    return dict(id=id_, note="rapat é", data=Jsonb({"a": [1, None]}), at=AT, blob=b"\x00\x01") | values


@pytest.mark.postgres
def test_rows_come_back_loaded_and_row_counts_are_given(driver):
    answers = send(driver, [(ROW, _row(1)), (ROW, _row(2, blob=b"\xff" * 1_000_000)),
                            ("UPDATE pipeline_rows SET note = %(note)s WHERE id >= %(low)s", {"note": "x", "low": 1}),
                            ("SELECT id, data, at, length(blob) FROM pipeline_rows WHERE id = %(id)s", {"id": 2})])
    assert [a.rowcount for a in answers[:3]] == [1, 1, 2]
    assert answers[3].fetchall() == [(2, {"a": [1, None]}, AT, 1_000_000)]


def _ours(conn) -> int:
    return conn.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'vicon_%'").fetchone()[0]


@pytest.mark.postgres
def test_a_repeated_statement_is_prepared_once_per_connection_and_parameter_types(driver):
    select = "SELECT %(value)s::BIGINT + 1"
    assert send(driver, [(select, {"value": 1})])[0].fetchall() == [(2,)]
    made = _ours(driver)
    assert send(driver, [(select, {"value": 5})])[0].fetchall() == [(6,)]
    assert _ours(driver) == made
    assert send(driver, [(select, {"value": 2 ** 40})])[0].fetchall() == [(2 ** 40 + 1,)]  # a wider type
    assert _ours(driver) == made + 1


@pytest.mark.postgres
def test_psycopg_deallocates_nothing_of_ours_on_a_connection_kept_from_preparing(driver):
    keep_prepared(driver)
    select = "SELECT %(value)s::INTEGER + 1"
    send(driver, [(select, {"value": 1})])
    for _ in range(8):  # psycopg prepares a statement of its own after five
        driver.execute("SELECT id FROM pipeline_rows WHERE id = %s", (1,))
    driver.execute("BEGIN")
    driver.rollback()  # psycopg then deallocates all that it prepared, ours too had it any
    assert send(driver, [(select, {"value": 2})])[0].fetchall() == [(3,)]


@pytest.mark.postgres
def test_a_statement_deallocated_behind_our_back_fails_once_and_is_prepared_again(driver):
    select = "SELECT %(value)s::INTEGER + 1"
    send(driver, [(select, {"value": 1})])
    driver.execute("DEALLOCATE ALL")
    with pytest.raises(psycopg.errors.InvalidSqlStatementName):
        send(driver, [(select, {"value": 2})])
    assert send(driver, [(select, {"value": 3})])[0].fetchall() == [(4,)]


@pytest.mark.postgres
def test_a_failed_statement_is_psycopgs_error_the_rest_is_skipped_and_the_connection_goes_on(driver):
    send(driver, [(ROW, _row(1))])
    with pytest.raises(psycopg.errors.UniqueViolation):
        send(driver, [("BEGIN", ()), (ROW, _row(1)), (ROW, _row(2)), ("COMMIT", ())])
    assert driver.pgconn.transaction_status == psycopg.pq.TransactionStatus.INERROR
    driver.execute("ROLLBACK")
    assert [r[0] for r in driver.execute("SELECT id FROM pipeline_rows")] == [1]
    send(driver, [(ROW, _row(3))])  # statements prepared before the failure or not: the next send works
    assert [r[0] for r in driver.execute("SELECT id FROM pipeline_rows ORDER BY id")] == [1, 3]


@pytest.mark.postgres
def test_nothing_is_sent_when_a_value_cannot_be_adapted(driver):
    with pytest.raises(psycopg.ProgrammingError):
        send(driver, [(ROW, _row(1)), (ROW, _row(2, note=object()))])
    assert driver.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
    assert driver.execute("SELECT count(*) FROM pipeline_rows").fetchone() == (0,)


@pytest.mark.postgres
def test_a_connection_whose_server_went_away_is_an_operational_error(driver, postgres_url):
    with psycopg.connect(_libpq_url(postgres_url), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (driver.info.backend_pid,))
    with pytest.raises(psycopg.OperationalError):
        send(driver, [(ROW, _row(1))])
    assert driver.closed or driver.broken


def _ids(conn) -> list:
    return [r[0] for r in conn.execute("SELECT id FROM pipeline_rows ORDER BY id")]


@pytest.mark.postgres
def test_statements_pushed_ahead_run_before_the_next_send_whose_answers_alone_come_back(driver):
    push(driver, [("BEGIN", ()), (ROW, _row(1))])
    assert pushed(driver)
    answers = send(driver, [("SELECT count(*) FROM pipeline_rows WHERE id = %(id)s", {"id": 1}), ("COMMIT", ())])
    assert len(answers) == 2 and answers[0].fetchall() == [(1,)]
    assert not pushed(driver) and driver.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
    assert _ids(driver) == [1]


@pytest.mark.postgres
def test_a_pushed_statement_that_fails_is_raised_by_the_next_send_and_the_connection_goes_on(driver):
    send(driver, [(ROW, _row(1))])
    push(driver, [("BEGIN", ()), (ROW, _row(2)), (ROW, _row(1))])  # a duplicate key
    with pytest.raises(psycopg.errors.UniqueViolation):
        send(driver, [])  # the pushed answers alone
    assert not pushed(driver) and driver.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
    driver.execute("ROLLBACK")
    assert _ids(driver) == [1]
    send(driver, [(ROW, _row(3))])
    assert _ids(driver) == [1, 3]


@pytest.mark.postgres
def test_an_abandoned_push_leaves_the_pipeline_and_its_transaction_can_be_rolled_back(driver):
    push(driver, [("BEGIN", ()), (ROW, _row(1))])
    abandon(driver)
    assert not pushed(driver) and driver.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
    driver.rollback()
    assert _ids(driver) == []


@pytest.mark.postgres
def test_a_push_whose_value_cannot_be_adapted_sends_nothing(driver):
    with pytest.raises(psycopg.ProgrammingError):
        push(driver, [(ROW, _row(1)), (ROW, _row(2, note=object()))])
    assert not pushed(driver) and driver.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
    assert _ids(driver) == []


def _status(driver):
    return driver.pgconn.transaction_status, driver.pgconn.pipeline_status


@pytest.mark.postgres
def test_a_commit_sent_ahead_answers_what_came_before_it_and_leaves_its_own_for_finish(driver, postgres_url):
    push(driver, [("BEGIN", ()), (ROW, _row(1))])
    answers = commit_ahead(driver, [(ROW, _row(2)), ("SELECT count(*) FROM pipeline_rows", {})])
    assert [a.rowcount for a in answers] == [1, 1] and answers[1].fetchall() == [(2,)]
    assert committing(driver) and pushed(driver)  # the COMMIT's answer is not read yet
    with pytest.raises(RuntimeError, match="after the transaction's COMMIT"):
        send(driver, [("SELECT 1", {})])
    with pytest.raises(RuntimeError, match="after the transaction's COMMIT"):
        push(driver, [("SELECT 1", {})])
    finish(driver)
    assert not committing(driver) and not pushed(driver)
    assert _status(driver) == (psycopg.pq.TransactionStatus.IDLE, psycopg.pq.PipelineStatus.OFF)
    with psycopg.connect(_libpq_url(postgres_url), autocommit=True) as other:
        assert [r[0] for r in other.execute("SELECT id FROM pipeline_rows ORDER BY id")] == [1, 2]
    finish(driver)  # nothing more to read: a second call does nothing


@pytest.mark.postgres
def test_a_statement_failing_before_a_commit_sent_ahead_is_raised_at_once_and_nothing_is_kept(driver):
    send(driver, [(ROW, _row(1))])
    push(driver, [("BEGIN", ()), (ROW, _row(2))])
    with pytest.raises(psycopg.errors.UniqueViolation):
        commit_ahead(driver, [(ROW, _row(1)), (ROW, _row(3))])  # a duplicate key: the rest is skipped
    assert not committing(driver) and not pushed(driver)
    assert _status(driver) == (psycopg.pq.TransactionStatus.INERROR, psycopg.pq.PipelineStatus.OFF)
    driver.rollback()
    assert _ids(driver) == [1]


@pytest.mark.postgres
def test_a_commit_sent_ahead_that_fails_itself_is_raised_by_finish(driver):
    driver.execute("ALTER TABLE pipeline_rows ADD CONSTRAINT note_once UNIQUE (note) DEFERRABLE INITIALLY DEFERRED")
    push(driver, [("BEGIN", ()), (ROW, _row(1, note="sama"))])
    commit_ahead(driver, [(ROW, _row(2, note="sama"))])  # checked only by the COMMIT
    with pytest.raises(psycopg.errors.UniqueViolation):
        finish(driver)
    assert not committing(driver)
    assert _status(driver) == (psycopg.pq.TransactionStatus.IDLE, psycopg.pq.PipelineStatus.OFF)
    assert _ids(driver) == []


@pytest.mark.postgres
def test_an_abandoned_commit_sent_ahead_is_read_without_a_second_sync(driver):
    push(driver, [("BEGIN", ()), (ROW, _row(1))])
    commit_ahead(driver, [(ROW, _row(2))])
    abandon(driver)
    assert not committing(driver) and not pushed(driver)
    assert _status(driver) == (psycopg.pq.TransactionStatus.IDLE, psycopg.pq.PipelineStatus.OFF)
    assert send(driver, [("SELECT count(*) FROM pipeline_rows", {})])[0].fetchall() == [(2,)]


@pytest.mark.postgres
def test_the_connections_adapter_is_made_once_and_keeps_no_result_nor_the_connection(postgres_url):
    import gc
    import weakref

    from engine.storage.libpq_pipeline import _adapter
    conn = psycopg.connect(_libpq_url(postgres_url), autocommit=True)
    adapt = _adapter(conn)
    big = send(conn, [("SELECT %(blob)s::BYTEA", {"blob": b"\x01" * 1_000_000})])[0].fetchall()
    assert big == [(b"\x01" * 1_000_000,)] and _adapter(conn) is adapt
    assert adapt.pgresult is None  # the megabyte is not held until the next send
    gone = weakref.ref(conn)
    conn.close()
    del conn, adapt
    gc.collect()
    assert gone() is None  # no table of this module keeps a closed connection alive
