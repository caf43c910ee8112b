"""A Flask test client that behaves like a browser on the pages: it keeps the
session cookie, reads the CSRF token from each page and sends it back."""
from __future__ import annotations

import re

from engine import Worker
from tests.api.accounts import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Pages:
    """One user's browser; signs in on creation unless ``username`` is None."""

    def __init__(self, app, username: str | None):
        self.app, self.username = app, username
        self.client = app.test_client()
        self.engine = app.extensions["vicon"]
        self.token = None
        if username:
            response = self.submit("/masuk", {"username": username, "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)

    def get(self, path: str, **kwargs):
        """GET a page, remembering its CSRF token."""
        response = self.client.get(path, **kwargs)
        found = response.mimetype == "text/html" and TOKEN.search(response.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        return response

    def submit(self, path: str, data: dict | None = None, *, token: bool = True, page: str | None = None):
        """POST a form (multipart) after loading ``page`` (default ``path``) for its token."""
        self.get(page or path)
        body = dict(data or {})
        if token:
            body["csrf_token"] = self.token
        return self.client.post(path, data=body, content_type="multipart/form-data")

    def work(self) -> int:
        """Run the worker once."""
        return Worker(self.engine).run_once()
