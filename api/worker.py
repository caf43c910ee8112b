"""``python -m api.worker``: run only the worker loop (external service jobs
and timers) until SIGINT or SIGTERM."""
from __future__ import annotations

import logging
import signal
import threading

from engine import Engine, Worker

from .bootstrap import build_engine
from .config import Config

log = logging.getLogger("vicon.worker")
POLL_SECONDS = 1.0


def configure_logging() -> None:
    """Log INFO and above to stderr (unless logging is configured already)."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # SpiffWorkflow logs every task state change at INFO
    logging.getLogger("spiff").setLevel(logging.WARNING)


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
    """Entry point of ``python -m api.worker``."""
    configure_logging()
    engine = build_engine(Config.from_env())
    stop = threading.Event()
    stop_on_signals(stop)
    run(engine, stop)


if __name__ == "__main__":
    main()
