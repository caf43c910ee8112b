"""Page fixtures: the API tests' app on a fresh database, and a browser-like
client per user (session cookie, CSRF token read from the pages)."""
from __future__ import annotations

import pytest

from tests.api.conftest import make_app, template_db  # noqa: F401  (fixtures reused)
from tests.web.browser import Pages


@pytest.fixture
def app(make_app):  # noqa: F811
    """The app on a fresh database."""
    return make_app()


@pytest.fixture
def pages(app):
    """Make a signed-in page client per username (``pages("kadis")``); ``pages(None)``: signed out."""
    made = {}

    def build(username):
        if username not in made:
            made[username] = Pages(app, username)
        return made[username]
    return build
