"""A test client that signs in as the demo users."""
from __future__ import annotations

from engine import Worker
from tests.api.accounts import PASSWORD


class Api:
    """The Flask test client with bearer tokens for the demo users.

    Tokens are shared between tests that sign in with the same key at the same
    (fake) time: each sign-in costs a password hash.
    """

    _shared: dict = {}

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.engine = app.extensions["vicon"]

    def token(self, username: str) -> str:
        """A token of ``username``, signed in through the API (once per user)."""
        key = (username, self.app.config["SECRET_KEY"], self.engine.clock.now())
        if key not in self._shared:
            response = self.client.post("/api/v1/auth/token",
                                        json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.json
            self._shared[key] = response.json["access_token"]
        return self._shared[key]

    def headers(self, username: str | None) -> dict:
        """The Authorization header of ``username`` (none for None)."""
        return {"Authorization": f"Bearer {self.token(username)}"} if username else {}

    def call(self, method: str, path: str, username: str | None = None, **kwargs):
        """A request as ``username``; ``kwargs`` go to the test client."""
        headers = {**self.headers(username), **kwargs.pop("headers", {})}
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, username=None, **kwargs):
        """GET as ``username``."""
        return self.call("GET", path, username, **kwargs)

    def post(self, path, username=None, **kwargs):
        """POST as ``username``."""
        return self.call("POST", path, username, **kwargs)

    def work(self) -> int:
        """Run the worker once (external jobs, due timers)."""
        return Worker(self.engine).run_once()

    def count(self) -> tuple[int, int]:
        """(instances, audit events) as the admin sees them: proof that nothing was stored."""
        page = self.get("/instances?per_page=100", "admin").json
        events = sum(len(self.get(f"/instances/{item['id']}/events", "admin").json)
                     for item in page["items"])
        return page["total"], events
