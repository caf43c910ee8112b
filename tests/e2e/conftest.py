"""The app served by waitress on loopback in a thread, on a fresh SQLite copy of
the demo database, and Debian's chromium driven by Playwright."""
from __future__ import annotations

import os
import pathlib
import threading

import pytest

from tests.api.conftest import make_app, template_db  # noqa: F401  (fixtures reused)

CHROMIUM = pathlib.Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def serve():
    """``serve(app)`` serves an app on 127.0.0.1 on a free port and returns its
    base URL; every app served is stopped after the test."""
    from waitress.server import create_server
    running = []

    def start(app) -> str:
        served = create_server(app, host="127.0.0.1", port=0, threads=4)
        thread = threading.Thread(target=served.run, daemon=True)
        thread.start()
        running.append((served, thread))
        return f"http://127.0.0.1:{served.effective_port}"

    yield start
    for served, thread in running:
        served.close()
        thread.join(timeout=5)


@pytest.fixture
def server(make_app, serve):  # noqa: F811
    """(base URL, app) of the app served on 127.0.0.1 on a free port."""
    app = make_app()
    return serve(app), app


@pytest.fixture
def browser():
    """A headless chromium (Debian's package; Playwright's own download is never used)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent: install Debian's chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def shots():
    """Where to save screenshots (VICON_SCREENSHOTS=dir), or None."""
    folder = os.environ.get("VICON_SCREENSHOTS")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
    return folder
