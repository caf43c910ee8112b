"""Flask CLI commands: ``flask --app api.app vicon-worker`` and ``vicon-create-admin``."""
from __future__ import annotations

import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from engine import EngineError

from api.entrypoints import worker
from api.context import EXTENSION


@click.command("vicon-worker")
@with_appcontext
def worker_command():
    """Run the worker loop (external service jobs and timers) until Ctrl-C or SIGTERM."""
    worker.configure_logging(current_app.config["VICON"].log_format)
    stop = threading.Event()
    worker.stop_on_signals(stop)
    worker.run(current_app.extensions[EXTENSION], stop)


@click.command("vicon-create-admin")
@click.argument("username")
@click.option("--full-name", default="Administrator", show_default=True,
              help="The name shown for the account.")
@with_appcontext
def create_admin_command(username, full_name):
    """Create an administrator account USERNAME; the password is read from a
    hidden prompt (twice), or from the first line of standard input when it is
    not a terminal. It is never an argument: arguments end up in shell
    history and process lists."""
    password = _read_password()
    try:
        current_app.extensions[EXTENSION].create_admin(username, password, full_name)
    except EngineError as error:
        detail = getattr(error, "errors", None)
        raise click.ClickException(f"{error.message_en}: {detail}" if detail else error.message_en)
    click.echo(f"administrator {username!r} created")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")
