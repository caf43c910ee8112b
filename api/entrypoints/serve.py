"""``python -m api.entrypoints.serve`` (what ``make run`` runs): set up the database and
the bundled process, seed the demo data in demo mode, run the worker in a
background thread and serve the app with waitress on 127.0.0.1:VICON_PORT
until SIGINT or SIGTERM."""
from __future__ import annotations

import logging
import signal
import threading

from waitress.server import create_server

from api.entrypoints import worker
from api.app import create_app
from api.bootstrap import build_engine
from api.config import Config

log = logging.getLogger("vicon")
HOST = "127.0.0.1"
THREADS = 8
WORKER_JOIN_SECONDS = 10


def _interrupt(signum, _frame):
    # waitress leaves its loop cleanly on SystemExit/KeyboardInterrupt
    log.info("%s received: stopping", signal.Signals(signum).name)
    raise SystemExit(0)


def main() -> None:
    """Serve until interrupted, then stop the worker and the server."""
    config = Config.from_env()
    worker.configure_logging(config.log_format)
    engine = build_engine(config)
    app = create_app(config, engine)
    stop = threading.Event()
    background = threading.Thread(target=worker.run, args=(engine, stop, "serve"),
                                  name="vicon-worker", daemon=True)
    background.start()
    server = create_server(app, host=HOST, port=config.port, threads=THREADS)
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    log.info("vicon (%s) serving on http://%s:%s", config.env, HOST, config.port)
    if config.demo:
        log.info("demo accounts: kadis, kabid, subkoordinator, staf, manager, analyst, admin, "
                 "opd.<agency> (password from VICON_DEMO_PASSWORD)")
    try:
        server.run()
    finally:
        stop.set()
        background.join(WORKER_JOIN_SECONDS)
        server.close()
        log.info("vicon stopped")


if __name__ == "__main__":
    main()
