"""The kernel: what every part of the engine works with, built once by the
facade and handed down. Sub-services get the kernel, never the facade, so no
part calls back up; where two parts need the same operation it is a function
taking the kernel."""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.runtime.command import Command, command
from engine.runtime.live import LiveWorkflows


@dataclass(frozen=True)
class Kernel:
    """The engine's parts: immutable once built (the parts themselves may hold state,
    such as the live workflows or the work signal)."""

    settings: Any
    clock: Any
    db: Any
    calendar: Any  # engine.calendar.store.CalendarStore
    registry: Any
    runner: Any
    versions: Any  # engine.versions.store.VersionStore
    outbox: Any
    meeting_provider: Any
    hosts: Any  # adapters.hosts.SqlHostDirectory
    # engine.letters.desk.LetterOffices: session (or None) -> the operators' letter port; its ``press``
    letter_office: Any
    # (kernel, session or None) -> the operators' ports; the adapters live above the runtime
    port_binder: Callable[[Any, Any], Any]
    instance_jobs: Mapping[str, Any] = field(default_factory=dict)  # element -> InstanceJob
    # (session, instance id, numbers sent, now) when a request ends without its meeting
    on_release: Callable[..., None] | None = None
    live: LiveWorkflows = field(default_factory=LiveWorkflows)
    work_signal: threading.Event = field(default_factory=threading.Event)

    def ports(self, session):
        """Operator ports bound to ``session`` (None: no database, worker side)."""
        return self.port_binder(self, session)

    def command(self, target=None, *, actor: str | None = None,
                conflict: tuple[str, str] | None = None):
        """The unit of work of one command on one instance (see ``engine.runtime.command``):
        ``target`` is the instance's id, a function finding it in the session, or None
        (a start, which creates the row with ``Command.create``)."""
        return command(self, target, actor=actor, conflict=conflict)

    def peek(self, session, instance):
        """The instance's workflow and compiled process, only to read (kept for the next command)."""
        process = self.versions.compiled_by_id(session, instance.process_version_id)
        workflow = self.live.take(instance, process, self.runner.script_engine)
        self.live.keep(instance, workflow)
        return workflow, process


__all__ = ["Command", "Kernel"]
