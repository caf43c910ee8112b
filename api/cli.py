"""Flask CLI commands: ``flask --app api.app vicon-worker``."""
from __future__ import annotations

import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from . import worker
from .context import EXTENSION


@click.command("vicon-worker")
@with_appcontext
def worker_command():
    """Run the worker loop (external service jobs and timers) until Ctrl-C or SIGTERM."""
    worker.configure_logging()
    stop = threading.Event()
    worker.stop_on_signals(stop)
    worker.run(current_app.extensions[EXTENSION], stop)
