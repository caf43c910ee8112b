"""Backups: ``pg_dump -Fc`` / ``pg_restore`` for PostgreSQL, the online backup
API of ``sqlite3`` for SQLite. A restore goes into an empty database only, so
it never mixes two histories (and never overwrites a live one by mistake).

The PostgreSQL password travels in ``PGPASSWORD`` (the tools' only
environment variable), never on the command line, where ``ps`` would show it.
"""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from engine.errors import EngineError

PG_BIN_DIRS = "/usr/lib/postgresql/*/bin"  # Debian's layout, when the tools are not on PATH
TIMEOUT_SECONDS = 3600


class BackupError(EngineError):
    """A backup or restore could not be made; nothing was changed."""

    code = "backup_failed"


def backup(database_url: str, target: Path) -> Path:
    """Write a backup of ``database_url`` to ``target`` (which must not exist)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _create_private(target)
    url = make_url(database_url)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_file(url), target)
        else:
            _pg_run("pg_dump", url, ["--format=custom", "--no-owner", f"--file={target}"])
    except BaseException:
        target.unlink(missing_ok=True)  # no half-written backup left to be trusted later
        raise
    return target


def _create_private(target: Path) -> None:
    # A backup holds password hashes and personal data: readable by its owner
    # only, and created exclusively, so an existing file is never overwritten.
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupError(f"{target} exists already: choose a new file",
                          f"{target} sudah ada: pilih berkas baru") from None


def restore(source: Path, database_url: str) -> None:
    """Restore the backup ``source`` into the empty database ``database_url``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file {source}", f"berkas cadangan {source} tidak ada")
    url = make_url(database_url)
    _require_empty(url)
    if url.get_backend_name() == "sqlite":
        _sqlite_file(url).parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source, _sqlite_file(url))
    else:
        # one transaction: a failed restore leaves the database empty, not half-filled
        _pg_run("pg_restore", url, ["--no-owner", "--no-privileges", "--exit-on-error",
                                    "--single-transaction", str(source)])


def _sqlite_file(url) -> Path:
    """The file of a SQLite URL (an in-memory database has none)."""
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has no file to back up or restore",
                          "basis data SQLite di memori tidak punya berkas untuk dicadangkan atau dipulihkan")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    # The backup API copies a consistent snapshot while other connections
    # keep reading and writing (unlike copying the file, which may catch a
    # half-written WAL).
    if not source.is_file():
        raise BackupError(f"no database file {source}", f"berkas basis data {source} tidak ada")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _require_empty(url) -> None:
    if url.get_backend_name() == "sqlite" and not Path(url.database).exists():
        return
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError("the target database is not empty: restore into a new, empty database",
                          "basis data tujuan tidak kosong: pulihkan ke basis data baru yang kosong")


def _pg_run(tool: str, url, arguments: list[str]) -> None:
    conninfo = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    # A clean environment: the tool is called by its full path and needs only
    # the password; the caller's variables (VICON_SECRET_KEY...) stay out.
    environment = {"PGPASSWORD": str(url.password)} if url.password else {}
    command = [pg_tool(tool), f"--dbname={conninfo}", *arguments]
    result = subprocess.run(command, env=environment, capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}",
                          f"{tool} gagal: {result.stderr.strip()[-2000:]}")


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client tool: on PATH, else Debian's newest."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"{PG_BIN_DIRS}/{name}"), key=_version_key)
    if not candidates:
        raise BackupError(f"{name} not found (install postgresql-client)",
                          f"{name} tidak ditemukan (pasang postgresql-client)")
    return candidates[-1]


def _version_key(path: str) -> tuple:
    version = Path(path).parts[-3]  # /usr/lib/postgresql/<version>/bin/<tool>
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))
