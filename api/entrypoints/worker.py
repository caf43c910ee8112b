"""``python -m api.entrypoints.worker``: run only the worker loop (external service jobs
and timers) until SIGINT or SIGTERM."""
from __future__ import annotations

import logging
import signal
import threading

from engine import Engine, Worker

from api import logs
from api.bootstrap import build_engine
from api.config import Config

log = logging.getLogger("vicon.worker")
POLL_SECONDS = 1.0


def configure_logging(log_format: str = "text") -> None:
    """Log INFO and above to stderr, as JSON lines or text (``api.logs``)."""
    logs.configure(log_format)


def stop_on_signals(stop: threading.Event) -> None:
    """Set ``stop`` on SIGINT or SIGTERM (main thread only)."""
    def handle(signum, _frame):
        log.info("%s received: stopping", signal.Signals(signum).name)
        stop.set()
    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)


def run(engine: Engine, stop: threading.Event, name: str = "worker") -> None:
    """Poll jobs and timers until ``stop`` is set."""
    log.info("worker %s polling every %.1f s", name, POLL_SECONDS)
    Worker(engine, name=name).run_forever(stop, interval=POLL_SECONDS)
    log.info("worker %s stopped", name)


def main() -> None:
    """Entry point of ``python -m api.entrypoints.worker``."""
    config = Config.from_env()
    configure_logging(config.log_format)
    engine = build_engine(config)
    stop = threading.Event()
    stop_on_signals(stop)
    run(engine, stop)


if __name__ == "__main__":
    main()
