"""gunicorn's configuration for vicon in production.

Run (see README, "Production"):

    gunicorn -c python:api.entrypoints.gunicorn_conf "api.app:create_app()"

Settings come from the same ``VICON_*`` variables as everything else
(``api.config``): ``VICON_BIND`` and ``VICON_PORT`` (address), ``VICON_WORKERS``
(processes), ``VICON_LOG_FORMAT`` (``json`` by default in production).
The worker loop (jobs, timers) is not part of this server: run
``python -m api.entrypoints.worker`` beside it, on this machine or another.
"""
from __future__ import annotations

from api.bootstrap import build_engine
from api.config import Config

_config = Config.from_env()

bind = f"{_config.bind}:{_config.port}"
workers = _config.workers
# Threads let a worker answer other requests while one waits on the database.
worker_class = "gthread"
threads = 4
# A letter's PDF renders in a few seconds; a minute covers the slowest request.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycling workers now and then bounds any slow leak; jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200
# The request line without its query string (%(U)s, not %(r)s): a query may carry a token.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
accesslog = None  # access lines go through logconfig_dict below, in the same format as the rest
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"vicon": {"()": "api.logs.formatter", "log_format": _config.log_format}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "vicon",
                            "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "spiff": {"level": "WARNING"},  # SpiffWorkflow logs every task state change at INFO
    },
}


def on_starting(_server) -> None:
    """Migrate the schema and deploy the bundled process once, in the master,
    before any worker starts (each worker's own set-up then finds nothing to
    do), and refuse to start in production with demo accounts in the database."""
    build_engine(_config).close()
