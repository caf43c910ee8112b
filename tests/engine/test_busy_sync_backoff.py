"""A host whose busy times cannot be read is asked again after a growing
delay, not at every pass, and the log says so once per change of state."""
import logging
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from engine.runtime.clock import FakeClock
from engine.worker.busy_sync import MAX_BACKOFF, BusyTimeSync

INTERVAL = 300


class Directory:
    """Two host accounts; what was stored, by host."""

    def __init__(self):
        self.hosts = [SimpleNamespace(id="host-a"), SimpleNamespace(id="host-b")]
        self.stored = []

    def all(self):
        return self.hosts

    def store_busy_times(self, host_id, busy, now):
        self.stored.append((host_id, now))

    def orphans(self, busy):
        return []


class Provider:
    """host-a's listing fails while ``down``; every call is counted."""

    uses_host_accounts = True

    def __init__(self):
        self.down, self.calls = True, []

    def busy_times(self, host, lo, hi):
        self.calls.append((host.id, lo))
        if host.id == "host-a" and self.down:
            raise ConnectionError("zoom.us unreachable")
        return []


def test_a_failing_host_backs_off_with_a_growing_delay_and_logs_once(caplog):
    clock = FakeClock(datetime(2026, 12, 7, 0, 0, tzinfo=timezone.utc))
    provider, directory = Provider(), Directory()
    kernel = SimpleNamespace(hosts=directory, meeting_provider=provider, clock=clock,
                             settings=SimpleNamespace(busy_sync_seconds=INTERVAL, busy_sync_days=60))
    sync = BusyTimeSync(kernel)
    attempts = []
    with caplog.at_level(logging.INFO, logger="vicon.worker"):
        for _ in range(24 * 60):  # a day of worker passes, one a minute
            before = len(provider.calls)
            sync.run_if_due()
            attempts += [clock.now() for host, _ in provider.calls[before:] if host == "host-a"]
            clock.advance(minutes=1)
        gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:])]
        assert gaps[:4] == [timedelta(seconds=INTERVAL * 2 ** n) for n in range(4)]  # 5, 10, 20, 40 min
        assert max(gaps) == MAX_BACKOFF and len(attempts) < 30  # not 288 (every interval), nor nine a second
        assert sum(1 for host, _ in provider.calls if host == "host-b") == 24 * 60 * 60 // INTERVAL
        failing = [r for r in caplog.records if "host-a" in r.getMessage()]
        assert [r.levelname for r in failing] == ["WARNING"]
        provider.down = False
        clock.advance(seconds=MAX_BACKOFF.total_seconds())
        sync.run_if_due()
    assert directory.stored[-2:] == [("host-a", clock.now()), ("host-b", clock.now())]
    messages = [r.getMessage() for r in caplog.records if "host-a" in r.getMessage()]
    assert len(messages) == 2 and "works again" in messages[-1]
    assert sync.backoff == {}
