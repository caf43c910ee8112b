"""A PostgreSQL database for the benchmarks: ``VICON_BENCH_DATABASE_URL`` when
given (its public schema is dropped and re-created), otherwise a throw-away
cluster on loopback made with the local ``initdb``, as ``.ci/run`` does."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile

from .http import _free_port

OS_USER = "postgres"  # initdb refuses to run as root


def _bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(OS_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", OS_USER], check=True)
    return ["su", OS_USER, "-s", "/bin/sh", "-c", shlex.join(command)]


@contextlib.contextmanager
def bench_postgres():
    """Yield a database URL, or None when no PostgreSQL can be had."""
    given = os.environ.get("VICON_BENCH_DATABASE_URL")
    if given:
        yield given
        return
    pgbin = _bin()
    if pgbin is None:
        yield None
        return
    data = tempfile.mkdtemp(prefix="vicon-bench-pg.")
    if os.geteuid() == 0:
        shutil.chown(data, OS_USER)
    os.chmod(data, 0o700)
    port = _free_port()
    run = lambda *args: subprocess.run(_as_owner(list(args)), check=True, capture_output=True)  # noqa: E731
    try:
        run(f"{pgbin}/initdb", "-D", data, "-U", "vicon", "--auth=trust", "-E", "UTF8")
        run(f"{pgbin}/pg_ctl", "-D", data, "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {data}"
            " -c max_connections=200", "-l", f"{data}/server.log", "-w", "start")
        run(f"{pgbin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "vicon", "vicon_bench")
        yield f"postgresql+psycopg://vicon@127.0.0.1:{port}/vicon_bench"
    finally:
        subprocess.run(_as_owner([f"{pgbin}/pg_ctl", "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
