"""``python -m api.entrypoints.backup_cli backup FILE`` / ``restore FILE``: back up the
database ``VICON_DATABASE_URL`` names, or restore a backup into it.

PostgreSQL: a ``pg_dump`` custom-format archive (``pg_restore`` reads it);
SQLite: a consistent copy made with SQLite's online backup API, safe while
the app and worker run. A restore needs an empty database (create a new one,
restore, then start vicon on it: start-up migrates an older backup to the
current schema).
"""
from __future__ import annotations

from pathlib import Path

import click

from engine import Engine, EngineError

from api import logs
from api.config import Config


def _engine() -> Engine:
    config = Config.from_env()
    logs.configure(config.log_format)
    return Engine(config.engine_settings())


@click.group()
def main() -> None:
    """Back up or restore vicon's database (VICON_DATABASE_URL)."""


@main.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Write a backup of the database to TARGET (a new file)."""
    engine = _engine()
    try:
        engine.backup(target)
    except EngineError as error:
        raise click.ClickException(error.message_en) from None
    finally:
        engine.close()
    click.echo(f"backup written to {target}")


@main.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def restore_command(source: Path) -> None:
    """Restore the backup SOURCE into the (empty) database."""
    engine = _engine()
    try:
        engine.restore(source)
    except EngineError as error:
        raise click.ClickException(error.message_en) from None
    finally:
        engine.close()
    click.echo(f"restored {source}; start vicon to migrate it to the current schema")


if __name__ == "__main__":
    main()
