"""The worker's periodic copy of the host accounts' meetings at the provider.

The schedule check runs inside a command's transaction and must not call
out, yet a meeting someone made in the Zoom app occupies its host too. So
every ``busy_sync_seconds`` the worker lists each host's upcoming meetings
(outside any transaction) and stores the ones no request of ours made as
external bookings, which the check counts.

A host whose listing fails is left alone for a growing delay (the interval,
doubled per failure, at most ``MAX_BACKOFF``) so an unreachable provider is
not asked again and again, and its rate limit is not spent; the log says so
once when a host starts failing and once when it works again.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.audit import chain as audit


log = logging.getLogger("vicon.worker")
MAX_BACKOFF = timedelta(hours=1)


@dataclass
class HostBackoff:
    """A failing host: how many listings failed in a row, and when to try again."""

    failures: int
    retry_at: datetime


class BusyTimeSync:
    """Runs the copy (and the sweep of left-over meetings) at most once per interval per engine."""

    def __init__(self, kernel) -> None:
        self.kernel = kernel
        self.directory = kernel.hosts
        self._last = None
        self._lock = threading.Lock()
        self.backoff: dict[str, HostBackoff] = {}  # host id -> its failures, while they last

    def run_if_due(self) -> int:
        """Copy every host's meetings when the interval has passed; return how many hosts were read."""
        provider = self.kernel.meeting_provider
        if not getattr(provider, "uses_host_accounts", False):
            return 0
        now = self.kernel.clock.now()
        interval = timedelta(seconds=self.kernel.settings.busy_sync_seconds)
        with self._lock:
            if self._last is not None and now - self._last < interval:
                return 0
            self._last = now
        return self.run(now)

    def run(self, now) -> int:
        """Copy every active host's meetings from ``now`` on; a host that fails keeps its old copy."""
        lo, hi = now, now + timedelta(days=self.kernel.settings.busy_sync_days)
        read = 0
        for host in self.directory.all():
            waiting = self.backoff.get(host.id)
            if waiting is not None and now < waiting.retry_at:
                continue
            try:
                busy = self.kernel.meeting_provider.busy_times(host, lo, hi)
            except Exception as exc:  # tried again after the delay; the check uses the last copy
                self._failed(host.id, exc, now)
                continue
            self._recovered(host.id)
            self.directory.store_busy_times(host.id, busy, now)
            self._sweep(busy, now)
            read += 1
        return read

    def _failed(self, host_id: str, exc: Exception, now: datetime) -> None:
        interval = timedelta(seconds=self.kernel.settings.busy_sync_seconds)
        failures = self.backoff[host_id].failures + 1 if host_id in self.backoff else 1
        delay = min(interval * 2 ** (failures - 1), max(MAX_BACKOFF, interval))
        self.backoff[host_id] = HostBackoff(failures, now + delay)
        if failures == 1:  # one line when the host starts failing, not one per attempt
            log.warning("busy-time sync of host %s failed: %s; tried again after a growing delay "
                        "(at most %s)", host_id, exc, max(MAX_BACKOFF, interval))

    def _recovered(self, host_id: str) -> None:
        waiting = self.backoff.pop(host_id, None)
        if waiting is not None:
            log.info("busy-time sync of host %s works again after %d failed attempts",
                        host_id, waiting.failures)

    def _sweep(self, busy, now) -> None:
        """Delete meetings whose request ended without one (withdrawn, rejected): a
        creation still running when the request was withdrawn leaves its meeting
        behind, and the withdrawal's cancel could not see it yet."""
        for meeting in self.directory.orphans(busy):
            try:
                self.kernel.meeting_provider.cancel(meeting={"meeting_id": meeting.external_id},
                                                    idempotency_key=f"sweep:{meeting.external_id}")
            except Exception as exc:
                log.warning("deleting left-over meeting %s failed: %s", meeting.external_id, exc)
                continue
            self._record_sweep(meeting)

    def _record_sweep(self, meeting) -> None:
        """Audit that a left-over meeting of the request was deleted (a command on the request)."""
        with self.kernel.command(meeting.marker.removeprefix("vicon:"), actor="system:sweep") as cmd:
            audit.append(cmd.session, cmd.instance, at=cmd.now, type_="meeting_deleted", actor=cmd.actor,
                         data={"meeting_id": meeting.external_id, "reason": "left over after the request ended"})
