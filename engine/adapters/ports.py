"""Ports backed by the database (inside the command's transaction) and the
outbox folder."""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import bindparam, delete, insert, select

from engine.services.schedule import Booking as BookingView
from engine.services.schedule import Host
from engine.notifications.notify import notify_role as notify_role_users
from engine.calendar.working import WorkingCalendar
from engine.storage.prepared import Prepared, rows_together
from engine.storage.models import Booking, Escalation, ExternalBooking, HostAccount, Instance, ReadyTaskRow

# built once: the schedule check of every disposition asks them
# (columns, not ORM objects: the views are made from them and nothing else holds the rows)
_ACTIVE_HOSTS = Prepared(select(HostAccount.id, HostAccount.name, HostAccount.capacity,
                                HostAccount.max_participants).where(HostAccount.active.is_(True)))
_BOOKINGS_AROUND = Prepared(select(Booking.host_id, Booking.start, Booking.end, Booking.instance_id).where(
    Booking.start < bindparam("hi"), Booking.end > bindparam("lo")))
_EXTERNAL_AROUND = Prepared(select(ExternalBooking.host_id, ExternalBooking.start, ExternalBooking.end).where(
    ExternalBooking.start < bindparam("hi"), ExternalBooking.end > bindparam("lo")))
_UNBOOK = Prepared(delete(Booking).where(Booking.instance_id == bindparam("instance_id")))
_BOOK = Prepared(insert(Booking))


class SqlSchedule:
    """Host accounts and bookings in the database."""

    def __init__(self, session, buffer_minutes: int, calendar=None):
        self.session = session
        self._buffer = timedelta(minutes=buffer_minutes)
        self._calendar = calendar  # a callable answering the current WorkingCalendar

    def calendar(self):
        """The office calendar alternative slots are proposed in."""
        return self._calendar() if self._calendar else WorkingCalendar()

    def hosts(self):
        """Active host accounts."""
        return [Host(*row) for row in _ACTIVE_HOSTS.rows(self.session)]

    def buffer(self) -> timedelta:
        """The gap kept free around each meeting."""
        return self._buffer

    def bookings_around(self, lo, hi):
        """Bookings that touch ``[lo, hi]``: ours, and the hosts' meetings made elsewhere."""
        around = {"lo": lo, "hi": hi}
        return _bookings(*rows_together(self.session, (_BOOKINGS_AROUND, around), (_EXTERNAL_AROUND, around)))

    def hosts_and_bookings(self, lo, hi) -> tuple[list, list]:
        """``hosts()`` and ``bookings_around(lo, hi)``, read together (one wait on PostgreSQL)."""
        around = {"lo": lo, "hi": hi}
        hosts, ours, theirs = rows_together(self.session, (_ACTIVE_HOSTS, {}), (_BOOKINGS_AROUND, around),
                                            (_EXTERNAL_AROUND, around))
        return [Host(*row) for row in hosts], _bookings(ours, theirs)

    def book(self, instance_id, host_id, start, end) -> None:
        """Book ``host_id`` for the instance, replacing its earlier booking."""
        _UNBOOK.run(self.session, {"instance_id": instance_id}, later=True)
        _BOOK.run(self.session, {"host_id": host_id, "instance_id": instance_id, "start": start, "end": end},
                  later=True)


def _bookings(ours: list, theirs: list) -> list:
    """Our bookings' rows and the hosts' meetings made elsewhere, as one list of views."""
    return [BookingView(*row) for row in ours] + [BookingView(host, start, end, None) for host, start, end in theirs]


class SqlEscalations:
    """Escalations as rows."""

    def __init__(self, session):
        self.session = session

    def record(self, instance_id, step, standard, at, notify_role="manager") -> list[str]:
        """Store one escalation and notify ``notify_role``; return who was told."""
        self.session.add(Escalation(instance_id=instance_id, step=step, standard=standard, at=at))
        instance = self.session.get(Instance, instance_id)
        # the overdue step is still waiting (the timer does not interrupt it): its title names it
        title = self.session.scalar(select(ReadyTaskRow.title).where(
            ReadyTaskRow.instance_id == instance_id, ReadyTaskRow.element_id == step).limit(1))
        return notify_role_users(
            self.session, role=notify_role, agency_id=None, instance_id=instance_id, task_id=None,
            kind="escalation", now=at, params={"step": step, "title": title or step, "standard": standard,
                                               "topic": instance.topic if instance else ""})


class FileOutbox:
    """Documents as files in a folder; the same key rewrites the same file."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def write(self, kind: str, key: str, content: str) -> str:
        """Write ``content`` atomically; return the file name."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{kind}-{key.replace(':', '-')}.txt"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(self.folder / name)
        return name


@dataclass
class SqlPorts:
    """What operators reach during a command or a job."""

    schedule: SqlSchedule | None
    escalations: SqlEscalations | None
    outbox: FileOutbox
    meeting_provider: object
    hosts: object = None  # host accounts for the meeting provider (adapters.hosts.SqlHostDirectory)
    # makes the letter port (engine.letters.office.LetterOffice) when an operator first asks for
    # it: most commands run no letter operator, and making one cost more than the rest of the ports
    letter_office: Callable[[], object] | None = None

    @functools.cached_property
    def letters(self):
        """The letter port (None when the ports have none)."""
        return self.letter_office() if self.letter_office is not None else None


def bind(kernel, session) -> SqlPorts:
    """The kernel's operator ports bound to ``session`` (None: no database, worker side)."""
    return SqlPorts(
        schedule=SqlSchedule(session, kernel.settings.schedule_buffer_minutes,
                             kernel.calendar.calendar) if session else None,
        escalations=SqlEscalations(session) if session else None,
        outbox=kernel.outbox, meeting_provider=kernel.meeting_provider, hosts=kernel.hosts,
        letter_office=functools.partial(kernel.letter_office, session))
