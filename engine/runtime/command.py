"""One unit of work for every command that changes an instance.

``with kernel.command(instance_id) as cmd:`` opens the write transaction,
loads the instance row; ``cmd.process``, ``cmd.workflow`` and ``cmd.run`` load
the compiled version, the live workflow and a runner session with ports on
first use. On normal exit the workflow (when one was used) is saved with its
task projection, jobs and audit events, the transaction commits, the workflow
is kept for the next command, the worker is woken and the answer made (the
three while the server writes the ``COMMIT``, when it is sent ahead). On exit
by an exception nothing is kept (what was kept while a ``COMMIT`` that then
failed was written is forgotten). A lost race (a stale row, an integrity error, SQLite's
"database is locked") becomes ``Conflict``.

The guard (``guard_instances``) makes any flush that writes an instance
outside a command raise: tests switch it on to prove that every command
goes through here.
"""
from __future__ import annotations

import contextlib

from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict
from engine.runtime.unit_of_work import save_instance
from engine.storage.models import Instance
from engine.storage.prepared import WHILE_COMMITTING, Prepared, attached, attributes, send_waiting

IN_COMMAND = "vicon.command"  # key of ``Session.info`` marking a command's transaction
CHANGED = ("the request changed meanwhile; try again", "permohonan berubah sementara itu; coba lagi")
BUSY = ("the request is busy; try again", "permohonan sedang diproses; coba lagi")
_COLUMNS = attributes(Instance)
# what to select of an instance for ``attach_instance``: the instance is read on the driver and
# then attached, the ORM's own loading having cost more than the statement
INSTANCE_COLUMNS = tuple(getattr(Instance, name) for name in _COLUMNS)
_BY_ID = Prepared(select(*INSTANCE_COLUMNS).where(Instance.id == bindparam("of_id")))
_INSERT = Prepared(insert(Instance))
FIRST_VERSION = 1  # the lock version of a new row (the ORM's version counter starts there too)


def attach_instance(session, values) -> Instance:
    """The instance whose ``INSTANCE_COLUMNS`` were read as ``values``, as an object of ``session``."""
    return attached(session, Instance, dict(zip(_COLUMNS, values)))


def committed_row(instance: Instance) -> dict | None:
    """Every column of ``instance`` as its object holds them (after a commit: as committed),
    by attribute name; None when one is not loaded."""
    held = instance.__dict__
    if any(name not in held for name in _COLUMNS):
        return None
    return {name: held[name] for name in _COLUMNS}


def attach_row(session, values: dict) -> Instance:
    """The instance whose columns are ``values`` (``committed_row``), as an object of ``session``."""
    return attached(session, Instance, values)


def instance_by_id(session, instance_id: str) -> Instance | None:
    """The instance row ``instance_id`` as an object of ``session`` (None when there is none)."""
    found = _BY_ID.rows(session, {"of_id": str(instance_id)})
    return attach_instance(session, found[0]) if found else None


class Busy(Conflict):
    """Another writer holds the database (SQLite's "database is locked"): try again."""

    def __init__(self):
        super().__init__(*BUSY)


class Command:
    """The state of one command: its session, time, instance and (loaded on use)
    compiled process, workflow and runner session."""

    def __init__(self, kernel, session, now, actor: str | None = None):
        self.kernel, self.session, self.now, self.actor = kernel, session, now, actor
        self.instance: Instance | None = None
        self._process = self._workflow = self._run = None
        self._completed_before = False
        self._loaded: tuple | None = None
        self._saved = False
        # after ``save``: the snapshot written and, when the projection was rewritten, its rows
        # (what a command's answer shows, with no second read)
        self.snapshot = None
        self.projected: list | None = None
        self._make = None
        self._made: tuple | None = None  # (answer, error) once made
        self._kept = False  # the workflow kept for the next command (``_after_commit``)

    def load(self, instance: Instance | None) -> Instance | None:
        """Make ``instance`` (a row of this session) the command's instance."""
        self.instance = instance
        self._completed_before = instance is not None and instance.status == "completed"
        # what the row held when loaded: a command that writes the row but not its state
        # (an audit event, a document) leaves a kept workflow current under the new version
        self._loaded = (instance.lock_version, instance.state) if instance is not None else None
        return instance

    def create(self, values: dict, process) -> Instance:
        """Add a new instance row of ``process`` (a start) from ``values`` (columns left out
        are empty); sent later, but before the rows that refer to it (later writes keep
        their order, and any other statement sends them first)."""
        row = dict.fromkeys(_COLUMNS) | values | {"lock_version": FIRST_VERSION}
        _INSERT.run(self.session, row, later=True)
        self._process = process
        instance = attached(self.session, Instance, row)
        self.load(instance)
        return instance

    @property
    def process(self):
        """The compiled process of the instance's version."""
        if self._process is None:
            self._process = self.kernel.versions.compiled_by_id(self.session, self.instance.process_version_id)
        return self._process

    @property
    def workflow(self):
        """The instance's live workflow (the kept object when current, else restored)."""
        if self._workflow is None:
            self._workflow = self.kernel.live.take(self.instance, self.process, self.kernel.runner.script_engine)
        return self._workflow

    @workflow.setter
    def workflow(self, workflow) -> None:
        self._workflow = workflow

    def use(self, workflow, process) -> None:
        """Save ``workflow`` as a workflow of ``process`` (a migration moves it to another version)."""
        self._workflow, self._process = workflow, process

    @property
    def run(self):
        """The runner session of this command, with ports bound to its transaction."""
        if self._run is None:
            self._run = self.kernel.runner.new_session(self.kernel.clock, self.instance.id,
                                                       self.kernel.ports(self.session))
        return self._run

    def answer_with(self, make) -> None:
        """Make the command's answer with ``make`` (a function of nothing, reading nothing from
        the database) while the server writes the ``COMMIT`` (PostgreSQL), else once committed;
        ``answer`` gives it, or raises what making it raised."""
        self._make = make

    def _answer_now(self) -> None:
        if self._made is not None or self._make is None:
            return
        try:
            self._made = (self._make(), None)
        except Exception as exc:  # raised where the answer is asked for, as it would have been
            self._made = (None, exc)

    @property
    def answer(self):
        """The answer made by ``answer_with``'s function (after the command committed)."""
        self._answer_now()
        answer, error = self._made if self._made is not None else (None, None)
        if error is not None:
            raise error
        return answer

    def discard(self) -> None:
        """Neither save nor keep the workflow (the body's other writes still commit)."""
        self._workflow = None

    def save(self) -> None:
        """Save the workflow now (state, projection, jobs, audit events); at most once."""
        if self._saved or self._workflow is None:
            return
        self._saved = True
        events = self._run.events if self._run is not None else ()
        # the body's writes go with the saved rows, sent while the state is packed (one push
        # fewer than sending them first: measured)
        self.snapshot, self.projected = save_instance(
            self.session, self.instance, self._workflow, self.process, self.now, events, actor=self.actor,
            completed_event=not self._completed_before, on_release=self.kernel.on_release)
        send_waiting(self.session)  # the instance row, written while the command finishes up to its commit

    def _while_committing(self) -> None:
        """What the command does while the server writes its ``COMMIT``: the workflow kept, the
        answer made (``withdraw`` takes the workflow back when the ``COMMIT`` then fails)."""
        self._after_commit()
        self._answer_now()

    def _after_commit(self) -> None:
        if self._kept:
            return
        self._kept = True
        if self._workflow is not None:
            ready = self.snapshot.ready if self.snapshot is not None else None
            self.kernel.live.keep(self.instance, self._workflow, committed_row(self.instance), ready)
        elif self.instance is not None and self._loaded is not None and self.instance.state is self._loaded[1]:
            self.kernel.live.advance(self.instance.id, self._loaded[0], self.instance.lock_version,
                                     committed_row(self.instance))
        if not self.kernel.work_signal.is_set():  # setting it again takes its lock all the same
            self.kernel.work_signal.set()  # a job may be waiting for an in-process worker

    def withdraw(self) -> None:
        """Forget what was kept while the ``COMMIT`` was written, the commit having failed."""
        if self._kept and self.instance is not None:
            self.kernel.live.forget(self.instance.id)


@contextlib.contextmanager
def command(kernel, target=None, *, actor: str | None = None, conflict: tuple[str, str] | None = None):
    """The unit of work (see the module's docstring); ``conflict``: (English, Indonesian)
    message of a lost race."""
    cmd = None
    try:
        with kernel.db.transaction() as session:
            session.info[IN_COMMAND] = True
            cmd = Command(kernel, session, kernel.clock.now(), actor)
            if target is not None:
                cmd.load(target(session) if callable(target) else instance_by_id(session, target))
            yield cmd
            cmd.save()
            session.info[WHILE_COMMITTING] = cmd._while_committing
    except BaseException as exc:
        if cmd is not None:
            cmd.withdraw()
        if isinstance(exc, (StaleDataError, IntegrityError)):
            raise Conflict(*(conflict or CHANGED)) from None
        if isinstance(exc, OperationalError) and "locked" in str(exc).lower():
            raise Busy() from None
        raise
    cmd._after_commit()


class OutsideCommand(AssertionError):
    """An instance was written outside the unit of work."""


def _refuse_outside(session, _context, _instances) -> None:
    if session.info.get(IN_COMMAND):
        return
    written = [o for o in session.new if isinstance(o, Instance)] + \
        [o for o in session.dirty if isinstance(o, Instance) and session.is_modified(o)]
    if written:
        raise OutsideCommand(f"instance {written[0].id} written outside a command")


@contextlib.contextmanager
def guard_instances():
    """While active, a flush writing an instance outside a command raises ``OutsideCommand``
    (a test switch: it listens on every session of the process)."""
    event.listen(Session, "before_flush", _refuse_outside)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", _refuse_outside)
