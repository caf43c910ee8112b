"""Statements of the command path run on the database driver's own connection.

A command runs about eight statements; through SQLAlchemy's execution layer each
cost several times what the driver spends on it (an audit ``INSERT``: 32 µs
against 13 µs on the bare driver, and more with the caches cold between
commands). A ``Prepared`` statement is compiled once per dialect and set of
parameter names; running it converts the parameters with the columns' own bind
processors, calls the driver, and converts selected values with the columns'
result processors, so what is stored and read is what SQLAlchemy would store and
read. It runs on the session's connection, inside the session's transaction,
after the flush that ``Session.execute``'s autoflush would have done.

What the execution layer gave and this keeps: the engine's ``before_cursor_execute``
listeners are called (the statement counts of the benchmark and of the budget
tests), and a driver error is raised as SQLAlchemy's wrapper of it (``IntegrityError``,
``OperationalError``), with a lost connection invalidated.

On PostgreSQL each statement waits for the server (a round trip of 0.1-0.6 ms on
loopback, more across a network), so a write whose answer nobody reads can be
sent ``later``: it waits on the connection and goes with the next statement, or
with the ``COMMIT``, in one pipeline (``send_later_writes`` installs that on an
engine). The transaction's ``BEGIN`` waits the same way: the driver's connection is
put in autocommit mode and the ``BEGIN`` is sent as a statement, in one pipeline with
the transaction's first statement (psycopg's own ``BEGIN`` is a round trip of its own,
even in a pipeline); a transaction that sent nothing sends nothing at its commit.
A write whose row count matters (the optimistic lock's ``UPDATE``) is sent later
too, with the server checking that it changed one row (``run_one``), and reads
that do not depend on each other go in one pipeline (``rows_together``).
A command may also send the writes waiting ahead (``send_waiting``): the server
runs them while the command goes on, and their answers are read with the next
statement's. An error of a write sent later is raised where its answer is read, and the
transaction ends as it would have: nothing of it is kept. A pipeline goes on libpq directly
(``libpq_pipeline``), past psycopg's own per-statement machinery.

A connection held for more than one transaction (``storage.desks``) sends its ``COMMIT``
ahead (``commit_ahead_on``): the answers before it are read at once, and the ``COMMIT``'s
own (the server's write to its log, the longest wait of a command) only by ``finish_commit``,
once the session's bookkeeping and the work its transaction left for that moment (a
command's answer, ``WHILE_COMMITTING``) are done.
"""
from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass

from sqlalchemy import Insert, event, inspect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, configure_mappers, make_transient_to_detached
from sqlalchemy.orm.exc import StaleDataError

from engine.storage import libpq_pipeline

_CONNECTION = "vicon.driver_connection"  # key of ``Session.info``: (transaction, connection, driver's)
_LATER = "vicon.later_writes"  # key of a PostgreSQL connection's ``info``: writes waiting to be sent
_AT_COMMIT = "vicon.reads_at_commit"  # key of a connection's ``info``: (AtCommit, read) sent with the COMMIT
_PUSHED = "vicon.pushed_writes"  # key of a connection's ``info``: writes sent ahead, answers not read yet
WHILE_COMMITTING = "vicon.while_committing"  # key of ``Session.info``: work done while the COMMIT is written
_AHEAD: weakref.WeakSet = weakref.WeakSet()  # connections whose COMMIT is sent ahead (``commit_ahead_on``)
_IDLE = 0  # libpq's PQTRANS_IDLE: no transaction open on the connection
# a write that must change exactly one row, checked by the server: no row makes the division fail
_ONE_ROW_START = "WITH one_row AS ("
_ONE_ROW = _ONE_ROW_START + "{sql} RETURNING 1) SELECT 1 / count(*) FROM one_row"
_DIVISION_BY_ZERO = "22012"


@dataclass(frozen=True)
class _Form:
    """A statement compiled for one dialect and one set of parameter names."""

    sql: str
    binds: tuple  # (name, processor or None) for each parameter, in the order a positional driver takes them
    results: tuple  # a processor or None for each selected column
    positional: bool

    def parameters(self, values: dict):
        """The driver's parameters for ``values`` (a tuple or a dict, as its style wants)."""
        converted = [(name, proc(values.get(name)) if proc else values[name]) for name, proc in self.binds]
        if self.positional:
            return tuple(value for _, value in converted)
        return dict(converted)

    def row(self, raw: tuple) -> tuple:
        """A selected row with each value converted as its column's type converts it."""
        return tuple(proc(value) if proc else value for proc, value in zip(self.results, raw))


def _compile(statement, dialect, keys: frozenset[str]) -> _Form:
    if isinstance(statement, Insert) and not statement.exported_columns:
        statement = statement.inline()  # no implicit RETURNING of the key: nothing reads it
    compiled = statement.compile(dialect=dialect, column_keys=sorted(keys))
    if "POSTCOMPILE" in compiled.string:  # an IN list expanded per execution: not a fixed text
        raise ValueError(f"an expanding parameter in {compiled.string!r}")
    names = tuple(compiled.positiontup) if compiled.positional else tuple(compiled.binds)
    binds = tuple((name, _bind_processor(compiled, name, keys, dialect)) for name in names)
    results = tuple(_result_processor(column.type, dialect) for column in statement.exported_columns)
    return _Form(compiled.string, binds, results, compiled.positional)


def _bind_processor(compiled, name: str, keys: frozenset[str], dialect):
    """How the value of parameter ``name`` is converted, or where it comes from."""
    bind = compiled.binds[name]
    process = bind.type.dialect_impl(dialect).bind_processor(dialect)
    if name in keys:
        return process
    if bind.value is None:  # a column default or a bind left open: the execution layer would fill it
        raise ValueError(f"no value for {name} in {compiled.string!r}")
    fixed = process(bind.value) if process else bind.value  # built into the statement (``.values(x=1)``)
    return lambda _missing: fixed


def _result_processor(type_, dialect):
    return type_.dialect_impl(dialect).result_processor(dialect, None)


class Prepared:
    """A Core statement (``insert``, ``update``, ``delete`` or a ``select`` of columns)
    run on the driver's connection of a session (see the module's docstring)."""

    def __init__(self, statement):
        self.statement = statement
        self._forms: dict[tuple, _Form] = {}

    def _form(self, dialect, keys) -> _Form:
        key = (dialect.name, keys)
        form = self._forms.get(key)
        if form is None:
            form = self._forms[key] = _compile(self.statement, dialect, keys)
        return form

    def run(self, session: Session, values: dict | None = None, *, flush: bool = True, later: bool = False):
        """Run the statement once with ``values``; the driver's cursor (its ``rowcount``).
        ``flush=False``: the session's waiting changes stay waiting (a write that the
        caller orders before them). ``later``: a write nobody reads the answer of, sent
        with the connection's next statement or its commit (None is returned)."""
        values = values or {}
        connection, driver = _connections(session, flush)
        form = self._form(connection.dialect, frozenset(values))
        return _run(connection, driver, (form.sql, form.parameters(values), False), later)

    def run_one(self, session: Session, values: dict, *, flush: bool = True) -> None:
        """Run the ``UPDATE`` or ``DELETE`` once with ``values``; it must change exactly one
        row, else ``StaleDataError`` (an optimistic lock lost). On PostgreSQL the check is
        the server's and the write is sent later (the error is then raised where it is sent,
        at the latest at the commit, and nothing of the transaction is kept)."""
        connection, driver = _connections(session, flush)
        form = self._form(connection.dialect, frozenset(values))
        if connection.dialect.name == "postgresql":
            _run(connection, driver, (_ONE_ROW.format(sql=form.sql), form.parameters(values), False), True)
        elif _run(connection, driver, (form.sql, form.parameters(values), False)).rowcount != 1:
            raise StaleDataError("the row was changed by another transaction")

    def run_many(self, session: Session, rows: list[dict], *, flush: bool = True, later: bool = False) -> None:
        """Run the statement once per row of ``rows`` (all with the same keys); ``later``
        as for ``run``."""
        if not rows:
            return
        connection, driver = _connections(session, flush)
        form = self._form(connection.dialect, frozenset(rows[0]))
        _run(connection, driver, (form.sql, [form.parameters(row) for row in rows], True), later)

    def rows(self, session: Session, values: dict | None = None) -> list[tuple]:
        """The selected rows, each a tuple of the selected columns' values."""
        values = values or {}
        connection, driver = _connections(session)
        form = self._form(connection.dialect, frozenset(values))
        cursor = _run(connection, driver, (form.sql, form.parameters(values), False))
        return [form.row(raw) for raw in cursor.fetchall()]

    def rows_at_commit(self, session: Session, values: dict | None = None) -> AtCommit:
        """The rows the transaction holds when it commits, read then: after every write of
        the transaction and, on PostgreSQL, in one pipeline with them and the ``COMMIT`` (a
        command's answer, built once it committed, waits for the server no longer)."""
        values = values or {}
        connection, _driver = _connections(session)
        form = self._form(connection.dialect, frozenset(values))
        pending = AtCommit(form)
        connection.info.setdefault(_AT_COMMIT, []).append((pending, (form.sql, form.parameters(values), False)))
        return pending

    def scalar(self, session: Session, values: dict | None = None):
        """The first column of the only row (``RETURNING`` one value, a count)."""
        found = self.rows(session, values)
        if len(found) != 1:
            raise LookupError(f"{len(found)} rows where one was expected")
        return found[0][0]


class AtCommit:
    """The rows of a read sent with its transaction's ``COMMIT`` (``Prepared.rows_at_commit``)."""

    def __init__(self, form: _Form):
        self._form = form
        self._rows: list[tuple] | None = None

    def fill(self, raw: list[tuple]) -> None:
        """Take the driver's rows of the read."""
        self._rows = [self._form.row(one) for one in raw]

    def rows(self) -> list[tuple]:
        """The selected rows, each a tuple of the selected columns' values (once committed)."""
        if self._rows is None:
            raise RuntimeError("a read at commit asked for before its transaction committed")
        return self._rows


def rows_together(session: Session, *reads: tuple) -> list[list[tuple]]:
    """The rows of each ``(Prepared select, values)`` of ``reads``, in order; on PostgreSQL
    sent in one pipeline (with the writes waiting), so the reads wait for the server once."""
    connection, driver = _connections(session)
    forms = [(statement._form(connection.dialect, frozenset(values)), values) for statement, values in reads]
    selects = [(form.sql, form.parameters(values), False) for form, values in forms]
    if connection.dialect.name != "postgresql":
        cursors = [_send(connection, driver, [one])[0] for one in selects]
    else:
        waiting = connection.info.pop(_LATER, [])
        cursors = _send(connection, driver, waiting + selects, answered=len(selects))
    return [[form.row(raw) for raw in cursor.fetchall()] for (form, _), cursor in zip(forms, cursors)]


def run_text(connection, sql: str) -> None:
    """Run ``sql`` (no parameters) on the driver under ``connection`` (a SQLAlchemy
    ``Connection``), as ``Prepared`` runs its statements."""
    _run(connection, connection.connection.driver_connection, (sql, (), False))


def send_waiting(session: Session) -> None:
    """Put the writes waiting on the session's connection (PostgreSQL) on the wire now,
    without waiting for the server: it runs them while the command goes on (packing the
    instance's state), and their answers are read with the next statement's. A failure
    among them is raised there, at the latest at the commit, as it would have been."""
    kept = session.info.get(_CONNECTION)
    if kept is None or kept[0] is not session.get_transaction():
        return  # nothing begun in this transaction yet
    connection, driver = kept[1], kept[2]
    if connection.dialect.name != "postgresql":
        return
    waiting = connection.info.pop(_LATER, None)
    if not waiting:
        return
    connection.info.setdefault(_PUSHED, []).extend(waiting)  # what an error read later is told of
    _dispatch(connection, waiting)
    try:
        libpq_pipeline.push(driver, _statements(waiting)[0])
    except connection.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(connection, driver, waiting, exc) from exc


def _connections(session: Session, flush: bool = True):
    """The session's connection in its current transaction and the driver's connection
    under it, found once per transaction (``Session.connection`` walks the session's
    state machine on every call). Changes waiting in the session are flushed first."""
    if flush:
        session.flush()
    kept = session.info.get(_CONNECTION)
    if kept is None or kept[0] is not session.get_transaction():
        connection = session.connection()  # begins the transaction (SQLite's BEGIN IMMEDIATE) when not yet
        kept = (session.get_transaction(), connection, connection.connection.driver_connection)
        session.info[_CONNECTION] = kept
    return kept[1], kept[2]


def _run(connection, driver, write: tuple, later: bool = False):
    """Run ``write`` (SQL, parameters, many) now, after the writes waiting on the connection
    and in one pipeline with them; or, ``later`` on PostgreSQL, add it to them."""
    if connection.dialect.name != "postgresql":
        return _send(connection, driver, [write])[0]
    waiting = connection.info.pop(_LATER, []) + [write]
    if later:
        connection.info[_LATER] = waiting
        return None
    return _send(connection, driver, waiting)[0]


def _begin(driver) -> tuple:
    """The ``BEGIN`` psycopg would send for ``driver``'s settings, as a write sent later."""
    words = ["BEGIN"]
    if driver.isolation_level is not None:
        words.append("ISOLATION LEVEL " + driver.isolation_level.name.replace("_", " "))
    return " ".join(words), (), False


def _send(connection, driver, writes: list, *, commit: bool = False, ahead: bool = False,
          answered: int = 1) -> list:
    """Run ``writes`` in order (on PostgreSQL in one pipeline, after what ``send_waiting``
    pushed, then the ``COMMIT`` when asked, its answer left for ``finish_commit`` when
    ``ahead``); the answers (cursors) of the last ``answered``."""
    _dispatch(connection, writes)
    pushed = connection.info.pop(_PUSHED, [])  # their answers are read with these
    try:
        if connection.dialect.name == "postgresql":
            answers = _on_pipeline(driver, writes, commit, ahead)[len(writes) - answered:]
        else:
            answers = [_on_cursor(driver, write) for write in writes][len(writes) - answered:]
    except connection.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(connection, driver, pushed + writes, exc) from exc
    if ahead:
        connection.info[_PUSHED] = pushed + writes  # what an error of the COMMIT is told of
    return answers


def commit_ahead_on(connection) -> None:
    """Let the commits of ``connection`` (a SQLAlchemy connection of an engine that
    ``send_later_writes`` set up, held for more than one transaction) leave the ``COMMIT``'s
    answer unread: ``finish_commit`` reads it, once the session's own work and what the
    transaction left to do while the server writes it (``WHILE_COMMITTING``) are done."""
    _AHEAD.add(connection)


def finish_commit(session: Session, connection) -> None:
    """Do the work the session's transaction left for the ``COMMIT``'s write
    (``Session.info[WHILE_COMMITTING]``: a function taking nothing, which raises nothing),
    close the session, then read the ``COMMIT``'s answer; its failure is raised as SQLAlchemy
    raises it. A commit that did not go ahead (nothing written) is over already."""
    work = session.info.pop(WHILE_COMMITTING, None)
    if connection.invalidated:
        return
    driver = connection.connection.driver_connection
    if not libpq_pipeline.committing(driver):
        return
    if work is not None:
        work()
    session.close()  # its objects let go meanwhile too
    writes = connection.info.pop(_PUSHED, [])
    try:
        libpq_pipeline.finish(driver)
    except connection.dialect.loaded_dbapi.Error as exc:
        raise _wrapped(connection, driver, writes, exc) from exc


def _dispatch(connection, writes: list) -> None:
    for sql, parameters, many in writes:
        connection.dispatch.before_cursor_execute(connection, None, sql, parameters, None, many)


def _wrapped(connection, driver, writes: list, exc) -> Exception:
    """The driver's error ``exc`` as SQLAlchemy raises it (a lost optimistic lock as ``StaleDataError``);
    ``writes``: those whose answers it came with."""
    if getattr(exc, "sqlstate", None) == _DIVISION_BY_ZERO and any(
            sql.startswith(_ONE_ROW_START) for sql, _, _ in writes):
        return StaleDataError("the row was changed by another transaction")
    lost = connection.dialect.is_disconnect(exc, driver, None)
    if lost:
        connection.invalidate(exc)
    sql, parameters, _ = writes[-1] if writes else ("COMMIT", (), False)
    return DBAPIError.instance(sql, parameters, exc, connection.dialect.loaded_dbapi.Error,
                               connection_invalidated=lost, dialect=connection.dialect)


def _statements(writes: list) -> tuple[list[tuple[str, dict | tuple]], list[int]]:
    """``writes`` as one statement per row (a write run for many rows is one per row), and
    the position of each write's last statement."""
    statements: list[tuple[str, dict | tuple]] = []
    last: list[int] = []
    for sql, parameters, many in writes:
        statements.extend((sql, values) for values in (parameters if many else [parameters]))
        last.append(len(statements) - 1)
    return statements, last


def _on_pipeline(driver, writes: list, commit: bool, ahead: bool = False) -> list:
    """``writes`` and the ``COMMIT`` (as a statement: the driver's own commit() would be a
    round trip of its own) in one pipeline, its answer read now or (``ahead``) by
    ``finish_commit``; the answer of each write (a write run for many rows answers with its last)."""
    statements, last = _statements(writes)
    if ahead:
        answers = libpq_pipeline.commit_ahead(driver, statements)
    else:
        if commit:
            statements.append(("COMMIT", ()))
        answers = libpq_pipeline.send(driver, statements)
    return [answers[index] for index in last]


def _on_cursor(driver, write: tuple):
    sql, parameters, many = write
    cursor = driver.cursor()
    if many:
        cursor.executemany(sql, parameters)
    else:
        cursor.execute(sql, parameters)
    return cursor


def send_later_writes(engine) -> None:
    """Send the writes waiting on a connection of ``engine`` (PostgreSQL) before any other
    statement, with its ``COMMIT``, and drop them with a rollback; a transaction's ``BEGIN``
    waits with them (a connection in ``AUTOCOMMIT`` isolation has none)."""
    def on_begin(conn):
        driver = conn.connection.driver_connection
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT" \
                or driver.pgconn.transaction_status != _IDLE:
            return
        if not driver.autocommit:  # psycopg's setter takes its lock and runs a generator, set or not
            driver.autocommit = True  # psycopg then sends no BEGIN of its own, and commits what was begun
        conn.info[_LATER] = [_begin(driver)]

    def before_statement(conn, cursor, _statement, _parameters, _context, _many):
        if cursor is None:  # one of ours (``_send``, ``send_waiting``), already on its way
            return
        driver = conn.connection.driver_connection
        waiting = conn.info.pop(_LATER, None)
        if waiting or libpq_pipeline.pushed(driver):
            _send(conn, driver, waiting or [], answered=0)

    def on_commit(conn):
        waiting = conn.info.pop(_LATER, None) or []
        reads = conn.info.pop(_AT_COMMIT, [])
        driver = conn.connection.driver_connection
        if not reads and not libpq_pipeline.pushed(driver) and (not waiting or (len(waiting) == 1 and waiting[0][0].startswith("BEGIN"))):
            return  # nothing waits, or nothing was sent: the transaction never began on the server
        # the driver's own commit then finds no transaction open, and returns, or (ahead) is
        # skipped while its COMMIT is on its way
        _fill(reads, _send(conn, driver, waiting + [read for _, read in reads], commit=True,
                           ahead=conn in _AHEAD, answered=len(reads)))

    plain_commit = engine.dialect.do_commit

    def do_commit(dbapi_connection):
        if libpq_pipeline.committing(dbapi_connection.driver_connection):
            return  # sent ahead by ``on_commit``: ``finish_commit`` reads its answer
        plain_commit(dbapi_connection)

    def on_rollback(conn):
        if not conn.invalidated:  # an invalidated connection has no ``info``; it is never used again
            libpq_pipeline.abandon(conn.connection.driver_connection)
            for key in (_LATER, _AT_COMMIT, _PUSHED):
                conn.info.pop(key, None)

    def on_reset(driver, record, _state):
        libpq_pipeline.abandon(driver)
        for key in (_LATER, _AT_COMMIT, _PUSHED):
            record.info.pop(key, None)

    engine.dialect.do_commit = do_commit  # no event lets a listener stand in for the driver's commit
    event.listen(engine, "connect", lambda driver, _record: libpq_pipeline.keep_prepared(driver))
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", before_statement)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    event.listen(engine, "reset", on_reset)


def read_at_commit(engine) -> None:
    """Run the reads at commit of a connection of ``engine`` (SQLite; ``send_later_writes``
    sends PostgreSQL's) right before its ``COMMIT``, and drop them with a rollback."""
    def on_commit(conn):
        reads = conn.info.pop(_AT_COMMIT, [])
        driver = conn.connection.driver_connection
        _fill(reads, [_send(conn, driver, [read])[0] for _, read in reads])

    def on_rollback(conn):
        if not conn.invalidated:
            conn.info.pop(_AT_COMMIT, None)

    def on_reset(_driver, record, _state):
        record.info.pop(_AT_COMMIT, None)

    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    event.listen(engine, "reset", on_reset)


def _fill(reads: list, cursors: list) -> None:
    for (pending, _), cursor in zip(reads, cursors):
        pending.fill(cursor.fetchall())


def attributes(entity) -> tuple[str, ...]:
    """The attribute names of ``entity``'s table columns, in the table's order (what to
    select for ``attached``)."""
    mapper = inspect(entity)
    return tuple(mapper.get_property_by_column(column).key for column in mapper.local_table.columns)


@functools.cache
def _shape(entity) -> tuple:
    """``entity``'s mapper, configured, and the attribute names of its primary key (found
    once: ``attached`` runs in every command)."""
    mapper = inspect(entity)
    if not mapper.configured:  # the ORM configures its classes on its first query; none may have run yet
        configure_mappers()
    return mapper, tuple(mapper.get_property_by_column(column).key for column in mapper.primary_key)


def attached(session: Session, entity, values: dict):
    """The ORM object of class ``entity`` for a row read here (``values``: every column by
    attribute name), in ``session`` as if the ORM had loaded it: its changes are tracked
    from these values. The object the session already holds for that row, if any, wins."""
    mapper, key_names = _shape(entity)
    key = mapper.identity_key_from_primary_key([values[name] for name in key_names])
    held = session.identity_map.get(key)
    if held is not None:
        return held
    obj = mapper.class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)  # loaded, unchanged, keyed by its primary key
    session.add(obj)
    return obj
