"""A Zoom-compatible HTTP server on loopback, for the tests and the demo.

It speaks the parts of Zoom's REST API v2 that vicon uses: the
Server-to-Server OAuth token endpoint, list users, and create / list / get /
update / delete meetings, checking request bodies against Zoom's API
description, with faults on demand (timeouts, 500, 429 with Retry-After,
token expiry, the per-host daily limit, any Zoom error code).

Standalone, for the demo::

    .venv/bin/python -m tests.fakes.zoom_server --port 8765

prints the ``VICON_*`` variables to point vicon at it. ``GET /_fake/state``
shows its meetings; ``POST /_fake/faults`` with ``{"method", "path", "kind",
...}`` queues a fault (see ``zoom_state.Fault``).
"""
from __future__ import annotations

import argparse
import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from .zoom_state import DAILY_MESSAGE, ZoomState

HOST = "127.0.0.1"
DEMO_HOSTS = (("zoom1@tarakankota.go.id", "Zoom Diskominfo 1"), ("zoom2@tarakankota.go.id", "Zoom Diskominfo 2"))
QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
ROUTES = [
    ("GET", r"/users", lambda s, m, q, b: s.list_users(q)),
    ("GET", r"/users/([^/]+)/meetings", lambda s, m, q, b: s.list_meetings(m[0], q)),
    ("POST", r"/users/([^/]+)/meetings", lambda s, m, q, b: s.create_meeting(m[0], b)),
    ("GET", r"/meetings/(\d+)", lambda s, m, q, b: s.get_meeting(m[0])),
    ("PATCH", r"/meetings/(\d+)", lambda s, m, q, b: s.update_meeting(m[0], b)),
    ("DELETE", r"/meetings/(\d+)", lambda s, m, q, b: s.delete_meeting(m[0])),
]


class Handler(BaseHTTPRequestHandler):
    """One request against ``self.server.state``."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def log_message(self, *args):  # quiet: tests read the state, not the log
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method: str):
        url = urlsplit(self.path)
        path, query = url.path, dict(parse_qsl(url.query))
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        state = self.server.state
        if path.startswith("/_fake/"):
            return self._answer(*self._control(method, path, raw))
        api_path = path.removeprefix("/v2")
        fault = state.take_fault(method, api_path)
        if fault is not None and fault.kind == "timeout_before":
            time.sleep(fault.delay)
            return self._drop()
        if fault is not None and fault.kind not in ("timeout_after", "expire_token"):
            return self._answer(*_fault_answer(fault))
        answer = self._route(method, path, api_path, query, raw)
        if fault is not None and fault.kind == "timeout_after":
            time.sleep(fault.delay)
        self._answer(*answer)

    def _route(self, method, path, api_path, query, raw):
        state = self.server.state
        if path == "/oauth/token" and method == "POST":
            return state.issue_token(self._basic(), dict(parse_qsl(raw.decode())), query)
        if not path.startswith("/v2/"):
            return 404, {"code": 404, "message": "Not found."}, {}
        if "access_token" in query:
            return 401, {"code": 124, "message": "Invalid access token, this access token is not supported "
                                                 "as query parameter string."}, {}
        auth = self.headers.get("Authorization", "")
        if not state.token_ok(auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None):
            return 401, {"code": 124, "message": "Invalid access token."}, {}
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return 400, {"code": 300, "message": "Request Body should be a valid JSON object."}, {}
        for route_method, pattern, action in ROUTES:
            match = re.fullmatch(pattern, api_path)
            if match and route_method == method:
                return action(state, [unquote(g) for g in match.groups()], query, body)
        return 404, {"code": 404, "message": "Not found."}, {}

    def _control(self, method, path, raw):
        state = self.server.state
        if path == "/_fake/state" and method == "GET":
            with state.lock:
                return 200, {"meetings": list(state.meetings.values()), "users": list(state.users.values()),
                             "faults": [f.__dict__ for f in state.faults if f.times > 0]}, {}
        if path == "/_fake/faults" and method == "POST":
            return 201, state.fail(**json.loads(raw)).__dict__, {}
        return 404, {"message": "unknown control path"}, {}

    def _basic(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None
        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        return user, password

    def _answer(self, status: int, body, headers: dict):
        data = b"" if body is None else json.dumps(body).encode()
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout we made on purpose)

    def _drop(self):
        self.close_connection = True


def _fault_answer(fault):
    if fault.kind == "500":
        return 500, {"message": "Internal Server Error"}, {}
    if fault.kind == "429":
        headers = {"X-RateLimit-Type": "QPS"} | ({"Retry-After": fault.retry_after} if fault.retry_after else {})
        return 429, {"code": 429, "message": QPS_MESSAGE}, headers
    if fault.kind == "daily":
        headers = {"X-RateLimit-Type": "Daily-limit"} | ({"Retry-After": fault.retry_after} if fault.retry_after
                                                          else {})
        return 429, {"code": 429, "message": DAILY_MESSAGE}, headers
    return fault.status, {"code": fault.code, "message": f"Fake error {fault.code}."}, {}


class FakeZoomServer:
    """The server in its own thread; ``state`` is what tests arrange and inspect."""

    def __init__(self, port: int = 0, hosts=(), **state_options):
        self.httpd = ThreadingHTTPServer((HOST, port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.state = self.httpd.state = ZoomState(base=f"http://{HOST}:{self.port}", **state_options)
        for email, name in hosts:
            self.state.add_user(email, name)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="fake-zoom", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v2"

    @property
    def oauth_url(self) -> str:
        return f"http://{HOST}:{self.port}/oauth/token"

    def start(self) -> FakeZoomServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def env(self) -> dict:
        """The ``VICON_*`` variables that point vicon here."""
        s = self.state
        return {"VICON_MEETING_PROVIDER": "zoom", "VICON_ZOOM_BASE_URL": self.base_url,
                "VICON_ZOOM_OAUTH_URL": self.oauth_url, "VICON_ZOOM_ACCOUNT_ID": s.account_id,
                "VICON_ZOOM_CLIENT_ID": s.client_id, "VICON_ZOOM_CLIENT_SECRET": s.client_secret}


def main(argv=None) -> None:
    """Serve until interrupted, printing the variables to set."""
    parser = argparse.ArgumentParser(description="A fake Zoom API on 127.0.0.1 for the vicon demo")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", default=None, help="client secret to accept (default: random)")
    args = parser.parse_args(argv)
    options = {"client_secret": args.secret} if args.secret else {}
    server = FakeZoomServer(args.port, hosts=DEMO_HOSTS, **options)
    print("# fake Zoom API; set these before `make run`:")
    for name, value in server.env().items():
        print(f"export {name}={value}")
    print(f"# meetings: curl -s http://{HOST}:{server.port}/_fake/state | jq .meetings", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
