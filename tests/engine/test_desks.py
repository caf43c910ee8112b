"""Write sessions kept between transactions on PostgreSQL (``storage.desks``): the next
transaction reuses the connection and nothing of the last one, a failed commit or a lost
server session is never handed on, and no more than a few wait. Their COMMIT is sent ahead:
the work a transaction leaves for it runs before its answer is read, and a COMMIT that fails
is raised by the transaction all the same."""
import threading

import psycopg
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, text
from sqlalchemy.exc import IntegrityError

from engine import Unavailable
from engine.storage import db as storage_db
from engine.storage import desks, libpq_pipeline
from engine.storage.prepared import WHILE_COMMITTING, Prepared
from tests.engine.table_db import database_with

pytestmark = pytest.mark.postgres
ROWS = Table("desk_rows", MetaData(), Column("id", Integer, primary_key=True))
_INSERT = Prepared(insert(ROWS))


@pytest.fixture
def db(postgres_url):
    with database_with(ROWS, postgres_url) as database:
        yield database


def _backend(session) -> int:
    return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _stored(db) -> list[int]:
    with db.reading() as session:
        return list(session.execute(text("SELECT id FROM desk_rows ORDER BY id")).scalars())


def _terminate(db, pid: int) -> None:
    url = db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)


def test_the_next_transaction_reuses_the_connection_and_nothing_of_the_last(db):
    with db.transaction() as session:
        first = _backend(session)
        session.info["left"] = True
        session.execute(insert(ROWS).values(id=1))
        kept = session
    with db.transaction() as session:
        assert session is kept and _backend(session) == first
        assert "left" not in session.info and not list(session.identity_map.values())
        _INSERT.run(session, {"id": 2}, later=True)
    assert _stored(db) == [1, 2]


def test_a_commit_that_failed_leaves_no_aborted_transaction_to_the_next(db):
    with db.transaction() as session:
        _INSERT.run(session, {"id": 1}, later=True)
    with pytest.raises(IntegrityError):
        with db.transaction() as session:  # the duplicate fails with the COMMIT, in its pipeline
            _INSERT.run(session, {"id": 1}, later=True)
            _INSERT.run(session, {"id": 3}, later=True)
    with db.transaction() as session:
        _INSERT.run(session, {"id": 2}, later=True)
    assert _stored(db) == [1, 2]


def test_a_desk_whose_server_session_died_while_waiting_is_asked_and_replaced(db, monkeypatch):
    with db.transaction() as session:
        first = _backend(session)
    _terminate(db, first)
    monkeypatch.setattr(storage_db, "PING_AFTER", 0.0)  # every desk counts as rested
    with db.transaction() as session:
        assert _backend(session) != first
        _INSERT.run(session, {"id": 1}, later=True)
    assert _stored(db) == [1]


def test_a_desk_given_back_a_moment_ago_fails_cleanly_if_dead_and_is_not_kept(db, monkeypatch):
    monkeypatch.setattr(storage_db, "PING_AFTER", 3600.0)
    with db.transaction() as session:
        first = _backend(session)
    _terminate(db, first)
    with pytest.raises(Unavailable):
        with db.transaction() as session:
            _INSERT.run(session, {"id": 1}, later=True)
    with db.transaction() as session:
        assert _backend(session) != first
        _INSERT.run(session, {"id": 2}, later=True)
    assert _stored(db) == [2]


def test_at_most_a_few_desks_wait_and_disposal_gives_them_back(db):
    count = 6
    inside = threading.Barrier(count)
    backends, errors = [], []

    def one(number):
        try:
            with db.transaction() as session:
                backends.append(_backend(session))
                inside.wait(30)  # all six at once: six desks
                _INSERT.run(session, {"id": number}, later=True)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(set(backends)) == count
    waiting = [desk.connection.connection.driver_connection for desk in db._desks._idle]
    assert len(waiting) == db._desks.keep < count
    assert not any(driver.closed for driver in waiting)
    db.dispose()
    assert db._desks._idle == [] and all(driver.closed for driver in waiting)


def test_a_desk_of_the_parent_process_is_not_used_after_a_fork(db):
    with db.transaction() as session:
        first = _backend(session)
    parked = db._desks._idle[-1]
    parked.forks = -1  # as the child of a fork sees it
    with db.transaction() as session:
        assert _backend(session) != first
    assert not parked.connection.closed and parked in desks._PARENTS  # the parent's socket is left alone
    desks._PARENTS.remove(parked)
    parked.connection.close()


def test_the_work_left_for_the_commit_runs_before_its_answer_is_read(db):
    seen = []
    with db.transaction() as session:
        _INSERT.run(session, {"id": 1}, later=True)
        driver = session.connection().connection.driver_connection
        session.info[WHILE_COMMITTING] = lambda: seen.append(libpq_pipeline.committing(driver))
    assert seen == [True] and not libpq_pipeline.committing(driver)
    assert _stored(db) == [1]


def test_a_commit_that_fails_when_written_is_raised_by_the_transaction_and_the_desk_goes_on(db):
    with db.transaction() as session:
        session.execute(text("ALTER TABLE desk_rows ADD COLUMN note TEXT"))
        session.execute(text("ALTER TABLE desk_rows ADD CONSTRAINT note_once UNIQUE (note) "
                             "DEFERRABLE INITIALLY DEFERRED"))
    note = Prepared(insert(Table("desk_rows", MetaData(), Column("id", Integer, primary_key=True),
                                 Column("note", Integer))))
    seen = []
    with pytest.raises(IntegrityError):
        with db.transaction() as session:
            note.run(session, {"id": 1, "note": 7}, later=True)
            note.run(session, {"id": 2, "note": 7}, later=True)  # refused by the COMMIT alone
            session.info[WHILE_COMMITTING] = lambda: seen.append("worked")
    assert seen == ["worked"] and _stored(db) == []
    with db.transaction() as session:
        note.run(session, {"id": 3, "note": 7}, later=True)
    assert _stored(db) == [3]
