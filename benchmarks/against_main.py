"""End to end against main as it stood when the letters' layout left the commands:
the same harness (``benchmarks/commands.py``) run on a git worktree of that commit
and on this checkout, in subprocesses, one after the other in rounds so the
machine's load weighs on both. Moving work to the worker must not just hide it:
requests fully completed per second, letters included, must not drop."""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "6c1fd5e"  # main before the command-path work: both letters laid out inside T08 and T09
HARNESS = ("commands.py", "statements.py")
SCRIPT = """
import logging, statistics
logging.disable(logging.WARNING)
import benchmarks.commands as harness
build = harness.build_engine
harness.build_engine = lambda tmp, clock, database_url=None: build(tmp, clock)  # the old one takes no URL
figures = harness.measure({n})
print(statistics.median(figures.total_ms))
"""


def _end_to_end(root: Path, n: int) -> float:
    """Median ms per fulfilled request, worker and letters included, of the code at ``root``
    (run there, so its own ``engine`` is the one imported)."""
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(n=n)], cwd=root, capture_output=True,
                          text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def compare(n: int = 20, rounds: int = 2) -> tuple[float, float] | None:
    """(before, now) requests per second, medians over ``rounds``; None without git history."""
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        added = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(before), BEFORE],
                               capture_output=True)
        if added.returncode != 0:
            return None
        try:
            for name in HARNESS:  # the harness as it is now, on the code as it was
                shutil.copy(ROOT / "benchmarks" / name, before / "benchmarks" / name)
            then, now = [], []
            for _ in range(rounds):
                then.append(_end_to_end(before, n))
                now.append(_end_to_end(ROOT, n))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before)],
                           capture_output=True)
    return 1000 / statistics.median(then), 1000 / statistics.median(now)


def report(n: int = 20, rounds: int = 2) -> None:
    """Print both rates and their ratio."""
    rates = compare(n, rounds)
    if rates is None:
        print(f"end to end against main at {BEFORE}: skipped (no git history of that commit here)")
        return
    then, now = rates
    print(f"end to end against main at {BEFORE} (letters laid out in the commands), same harness, SQLite:"
          f" {then:.2f} requests/s then, {now:.2f} now ({now / then:.2f}x; must not be below 1)")


if __name__ == "__main__":
    report()
