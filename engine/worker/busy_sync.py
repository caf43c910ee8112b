"""The worker's periodic copy of the host accounts' meetings at the provider.

The schedule check runs inside a command's transaction and must not call
out, yet a meeting someone made in the Zoom app occupies its host too. So
every ``busy_sync_seconds`` the worker lists each host's upcoming meetings
(outside any transaction) and stores the ones no request of ours made as
external bookings, which the check counts.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta

from engine.audit import chain as audit


log = logging.getLogger("vicon.worker")


class BusyTimeSync:
    """Runs the copy (and the sweep of left-over meetings) at most once per interval per engine."""

    def __init__(self, kernel):
        self.kernel = kernel
        self.directory = kernel.hosts
        self._last = None
        self._lock = threading.Lock()

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
            try:
                busy = self.kernel.meeting_provider.busy_times(host, lo, hi)
            except Exception as exc:  # the next interval tries again; the check uses the last copy
                log.warning("busy-time sync of host %s failed: %s", host.id, exc)
                continue
            self.directory.store_busy_times(host.id, busy, now)
            self._sweep(busy, now)
            read += 1
        return read

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
