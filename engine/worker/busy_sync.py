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


log = logging.getLogger("vicon.worker")


class BusyTimeSync:
    """Runs the copy (and the sweep of left-over meetings) at most once per interval per engine."""

    def __init__(self, engine, directory):
        self.engine = engine
        self.directory = directory
        self._last = None
        self._lock = threading.Lock()

    def run_if_due(self) -> int:
        """Copy every host's meetings when the interval has passed; return how many hosts were read."""
        provider = self.engine.meeting_provider
        if not getattr(provider, "uses_host_accounts", False):
            return 0
        now = self.engine.clock.now()
        interval = timedelta(seconds=self.engine.settings.busy_sync_seconds)
        with self._lock:
            if self._last is not None and now - self._last < interval:
                return 0
            self._last = now
        return self.run(now)

    def run(self, now) -> int:
        """Copy every active host's meetings from ``now`` on; a host that fails keeps its old copy."""
        lo, hi = now, now + timedelta(days=self.engine.settings.busy_sync_days)
        read = 0
        for host in self.directory.all():
            try:
                busy = self.engine.meeting_provider.busy_times(host, lo, hi)
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
                self.engine.meeting_provider.cancel(meeting={"meeting_id": meeting.external_id},
                                                    idempotency_key=f"sweep:{meeting.external_id}")
            except Exception as exc:
                log.warning("deleting left-over meeting %s failed: %s", meeting.external_id, exc)
                continue
            self.directory.record_sweep(meeting, now)
