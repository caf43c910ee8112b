"""A time-stamping authority on loopback for the tests: RFC 3161 over HTTP
(``POST`` of a DER ``TimeStampReq`` with ``Content-Type: application/timestamp-query``,
answered with a DER ``TimeStampResp``). The token is made by pyHanko's
``DummyTimeStamper`` with the test CA's TSA certificate, so the client under test
speaks real HTTP to a real RFC 3161 answer."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp, x509
from cryptography.hazmat.primitives import serialization

MAX_REQUEST_BYTES = 64 * 1024


class TsaServer:
    """Start with ``start()``; ``url`` is where it answers; ``requests`` counts the tokens made."""

    def __init__(self, tsa_cert, tsa_key, ca_cert):
        from pyhanko.sign.timestamps import DummyTimeStamper
        der = serialization.Encoding.DER
        self.stamper = DummyTimeStamper(
            tsa_cert=x509.Certificate.load(tsa_cert.public_bytes(der)),
            tsa_key=keys.PrivateKeyInfo.load(tsa_key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            certs_to_embed=[x509.Certificate.load(ca_cert.public_bytes(der))])
        self.requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The TSA's address."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def start(self) -> TsaServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self):
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                if (self.headers.get("Content-Type") != "application/timestamp-query"
                        or not 0 < length <= MAX_REQUEST_BYTES):
                    self.send_error(400)
                    return
                request = tsp.TimeStampReq.load(self.rfile.read(length))
                answer = tsa.stamper.request_tsa_response(request).dump()
                tsa.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):  # keep the test output quiet
                pass

        return Handler
