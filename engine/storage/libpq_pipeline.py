"""Statements sent to PostgreSQL on libpq's pipeline mode directly, under psycopg.

psycopg's own pipeline spends about 80 µs of Python on each statement (a cursor, a wait
and a turn of its generators per ``execute``), more than the server spends on most of a
command's statements; sent here, a command's eight statements and its ``COMMIT`` cost a
fifth of that. What psycopg gives is kept: its adapters dump the parameters and load the
rows (those the connection was set up with, SQLAlchemy's JSON included), and a failed
statement is raised as psycopg's error of its SQLSTATE. A statement with parameters is
prepared once per connection and parameter types (the server's parse and plan of each
statement again cost more than psycopg's Python saved). psycopg deallocates every prepared
statement of a connection, ours included, after a rollback or a ``DROP`` once it prepared
any of its own: ``keep_prepared`` stops it preparing on a connection, and a statement
found gone all the same (someone's ``DEALLOCATE ALL``) fails its transaction once and is
prepared again in the next.

Only ``prepared`` uses this, for the statements of ``Prepared``: SQL with SQLAlchemy's
named placeholders (``%(name)s``) and a mapping of their values. Statements may be pushed
ahead of the next send (``push``), and a transaction's ``COMMIT`` may be sent with its last
statements and its answer read later (``commit_ahead``, ``finish``).
"""
from __future__ import annotations

import functools
import itertools
import re
import select
import weakref

from psycopg import abc, errors, pq
from psycopg.adapt import PyFormat, Transformer

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%|%")
_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # driver -> {(text, types): name}
_SERIAL = itertools.count(1)  # a name is never used twice: one a failed pipeline may have made cannot clash
_ADAPT = "_vicon_adapter"  # the attribute of a psycopg connection holding its ``Transformer``
# driver -> the count of results each statement ``push`` sent will give, until they are read
_OPEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_COMMITTING: weakref.WeakSet = weakref.WeakSet()  # drivers whose COMMIT ``commit_ahead`` sent, answer unread
_DONE = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK, pq.ExecStatus.EMPTY_QUERY)


class Answer:
    """What one statement gave: its rows (as psycopg loads them) and its row count."""

    def __init__(self, rows: list, rowcount: int):
        self.rows, self.rowcount = rows, rowcount

    def fetchall(self) -> list:
        """The rows, as a cursor's ``fetchall`` gives them."""
        return self.rows


@functools.lru_cache(maxsize=1024)
def numbered(sql: str, encoding: str) -> tuple[bytes, tuple[str, ...]]:
    """``sql`` with its named placeholders as ``$1, $2, ...`` (a name used twice keeps its
    number) and ``%%`` as ``%``, encoded; and the names in their numbers' order."""
    names: list[str] = []

    def number(match) -> str:
        if match.group(0) == "%%":
            return "%"
        name = match.group(1)
        if name is None:
            raise ValueError(f"a placeholder other than %(name)s in {sql!r}")
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PLACEHOLDER.sub(number, sql).encode(encoding), tuple(names)


def send(driver, statements: list[tuple[str, dict | tuple]]) -> list[Answer]:
    """Run ``statements`` ((SQL, values) each) on psycopg connection ``driver`` in one
    pipeline, in order, after what ``push`` put on the wire, and wait for the server once;
    an ``Answer`` for each of ``statements``. The first failed statement (pushed ones
    included) is raised as psycopg's error once every answer is in (the server skips the
    rest); nothing more is sent when a value cannot be adapted."""
    _refuse_after_commit(driver)
    adapt = _adapter(driver)  # dumps the values, then loads the rows
    calls = _calls(driver, adapt, statements)
    earlier = _OPEN.pop(driver, None)
    pgconn = driver.pgconn
    try:
        if earlier is None:
            earlier = []
            pgconn.enter_pipeline_mode()
        known = _NAMES.setdefault(driver, {})
        expected = [_queue(pgconn, known, call) for call in calls]
        pgconn.pipeline_sync()
        _flush(pgconn)
        results = _collect(pgconn)
    finally:
        _leave(driver)
    try:
        return _answers(driver, adapt, results, earlier + expected, adapt.encoding)[len(earlier):]
    finally:
        adapt.set_pgresult(None)  # the adapter outlives the send: it keeps no result


def push(driver, statements: list[tuple[str, dict | tuple]]) -> None:
    """Put ``statements`` on the wire now, in ``driver``'s open pipeline (opened when none),
    without waiting: the server runs them while the caller goes on. Their answers are read,
    and the first failure raised, by the next ``send`` (``send(driver, [])`` to read them
    alone); nothing is sent when
    a value cannot be adapted."""
    _refuse_after_commit(driver)
    calls = _calls(driver, _adapter(driver), statements)
    try:
        _enqueue(driver, calls)
        _flush(driver.pgconn)
    except BaseException:
        abandon(driver)
        raise


def commit_ahead(driver, statements: list[tuple[str, dict | tuple]]) -> list[Answer]:
    """Send ``statements`` and a ``COMMIT`` after what ``push`` put on the wire, with a
    request that the server send the answers before the ``COMMIT``'s at once; wait for
    those only: an ``Answer`` for each of ``statements``. The ``COMMIT``'s answer (the
    server's write to its log) is read by ``finish``, so the caller works meanwhile. When
    one of the statements failed, every answer is read and the failure raised (the server
    skipped the ``COMMIT``: the transaction is left failed, for a rollback)."""
    _refuse_after_commit(driver)
    adapt = _adapter(driver)
    calls = _calls(driver, adapt, [*statements, ("COMMIT", ())])
    pgconn = driver.pgconn
    before = len(_OPEN.get(driver, ()))
    try:
        _enqueue(driver, calls[:-1])
        pgconn.send_flush_request()
        earlier = _enqueue(driver, calls[-1:])
        pgconn.pipeline_sync()
        _flush(pgconn)
    except BaseException:
        abandon(driver)
        raise
    _COMMITTING.add(driver)
    ahead = earlier[:-1]
    del earlier[:-1]  # the COMMIT's, read by ``finish``
    try:
        sets, failed = _collect(pgconn, sum(ahead))
    except BaseException:
        abandon(driver)
        raise
    if failed is not None:
        abandon(driver)  # reads the rest, up to the sync already sent
    try:
        return _answers(driver, adapt, (sets, failed), ahead, adapt.encoding)[before:]
    finally:
        adapt.set_pgresult(None)


def committing(driver) -> bool:
    """True between ``commit_ahead`` and ``finish`` (the ``COMMIT``'s answer not read yet)."""
    return driver in _COMMITTING


def finish(driver) -> None:
    """Read the answer of the ``COMMIT`` that ``commit_ahead`` sent, and leave the pipeline;
    its failure is raised as psycopg's error."""
    if not committing(driver):
        return
    _COMMITTING.discard(driver)
    _OPEN.pop(driver, None)
    pgconn = driver.pgconn
    try:
        _, failed = _collect(pgconn)
    finally:
        _leave(driver)
    _raise_failed(driver, failed, _adapter(driver).encoding)


def _enqueue(driver, calls: list[tuple]) -> list[int]:
    """Queue ``calls`` in ``driver``'s open pipeline (opened when none); the result counts of
    everything queued there and not read yet (kept in ``_OPEN``)."""
    expected = _OPEN.get(driver)
    if expected is None:
        driver.pgconn.enter_pipeline_mode()
        expected = _OPEN[driver] = []
    known = _NAMES.setdefault(driver, {})
    expected.extend(_queue(driver.pgconn, known, call) for call in calls)
    return expected


def _raise_failed(driver, failed, encoding: str) -> None:
    """Raise a failed result as psycopg's error of its SQLSTATE (nothing when None)."""
    if failed is not None:
        _NAMES.pop(driver, None)  # which prepares the server made before the failure is not known
        raise errors.error_from_result(failed, encoding=encoding)


def _refuse_after_commit(driver) -> None:
    if committing(driver):
        raise RuntimeError("a statement after the transaction's COMMIT was sent")


def pushed(driver) -> bool:
    """True while statements ``push`` sent wait for their answers to be read."""
    return driver in _OPEN


def abandon(driver) -> None:
    """Leave the open pipeline with its answers read and dropped (its transaction is being
    rolled back); a connection that cannot is closed."""
    synced = driver in _COMMITTING
    _COMMITTING.discard(driver)
    if _OPEN.pop(driver, None) is None:
        return
    pgconn = driver.pgconn
    try:
        if not synced:
            pgconn.pipeline_sync()
            _flush(pgconn)
        _collect(pgconn)
    except errors.Error:
        driver.close()
        return
    _leave(driver)


def _adapter(driver) -> abc.Transformer:
    """``driver``'s adapter, made once: a psycopg ``Transformer`` keeps the dumper and loader
    of each type it met, which one made per send looked up again every time, and the
    connection's encoding (psycopg's own assumption: it does not change). It is held on the
    connection itself: a table keyed by the connection would keep the connection alive."""
    adapt = getattr(driver, _ADAPT, None)
    if adapt is None:
        adapt = Transformer(driver)
        setattr(driver, _ADAPT, adapt)
    return adapt


def keep_prepared(driver) -> None:
    """Stop psycopg preparing statements on ``driver`` (a new connection): it would then
    deallocate ours with its own after every rollback."""
    driver.prepare_threshold = None


def _leave(driver) -> None:
    """Leave pipeline mode; a connection that cannot (its answers not all read: the wait was
    interrupted, or the server went away) is closed, so the pool drops it."""
    pgconn = driver.pgconn
    if pgconn.pipeline_status == pq.PipelineStatus.OFF:
        return
    try:
        pgconn.exit_pipeline_mode()
    except errors.Error:
        driver.close()


def _calls(driver, adapt, statements) -> list[tuple]:
    encoding = adapt.encoding  # the connection's, read once (``driver.info`` reads it from libpq each time)
    return [_call(adapt, *numbered(sql, encoding), values) for sql, values in statements]


def _call(dumper, text: bytes, names: tuple, values) -> tuple:
    if not names:
        return text, None, None, None
    params = dumper.dump_sequence([values[name] for name in names], [PyFormat.AUTO] * len(names))
    return text, params, tuple(dumper.types), tuple(dumper.formats)


def _queue(pgconn, known: dict, call: tuple) -> int:
    """Queue one statement (prepared first when new on the connection); its results' count."""
    text, params, types, formats = call
    if params is None:
        pgconn.send_query_params(text, None)
        return 1
    name = known.get((text, types))
    if name is not None:
        pgconn.send_query_prepared(name, params, param_formats=formats)
        return 1
    name = known[(text, types)] = b"vicon_%d" % next(_SERIAL)
    pgconn.send_prepare(name, text, param_types=types)
    pgconn.send_query_prepared(name, params, param_formats=formats)
    return 2


def _flush(pgconn) -> None:
    """Send what is queued, reading what comes back meanwhile (libpq's advice for a
    non-blocking connection: the server may wait for us to read before it reads more)."""
    while pgconn.flush():
        readable, _, _ = select.select([pgconn.socket], [pgconn.socket], [])
        if readable:
            pgconn.consume_input()


def _collect(pgconn, count: int | None = None) -> tuple[list[list], pq.abc.PGresult | None]:
    """The results of every queued statement, each a list, up to the pipeline's sync (or, with
    ``count``, of the next ``count`` result sets, which the server was asked to send before
    it); and the first that failed (None when none did: the server skips the statements after
    a failure)."""
    sets: list[list] = []
    current: list = []
    failed = None
    while count is None or len(sets) < count:
        if pgconn.is_busy():
            _read(pgconn)
            continue
        result = pgconn.get_result()
        if result is None:
            if current:  # a statement's results end with None
                sets.append(current)
                current = []
            else:
                _read(pgconn)
            continue
        status = result.status
        if status == pq.ExecStatus.PIPELINE_SYNC:
            break
        if failed is None and status not in _DONE and status != pq.ExecStatus.PIPELINE_ABORTED:
            failed = result
        current.append(result)
    return sets, failed


def _read(pgconn) -> None:
    """Wait until the server sent something, and take it in."""
    select.select([pgconn.socket], [], [])
    pgconn.consume_input()


def _answers(driver, loader, collected: tuple, expected: list[int], encoding: str) -> list[Answer]:
    sets, failed = collected
    _raise_failed(driver, failed, encoding)
    answers, position = [], 0
    for count in expected:
        result = sets[position + count - 1][-1]
        position += count
        rows = []
        if result.ntuples:
            loader.set_pgresult(result)
            rows = loader.load_rows(0, result.ntuples, tuple)
        tuples = result.command_tuples
        answers.append(Answer(rows, tuples if tuples is not None else -1))
    return answers
