"""Compiled page templates shared by every app built in one process."""
from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class ProcessBytecodeCache(BytecodeCache):
    """Jinja's compiled templates kept in memory for the life of the process.

    Compiling the templates is a tenth of a second per app; a process that builds
    several apps (the CLI beside the server, the test suite) compiles each template
    once. A template whose source changed fails the bucket's checksum and is
    compiled anew."""

    def __init__(self) -> None:
        self._codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from memory when this process compiled its template before."""
        code = self._codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self._codes[bucket.key] = bucket.bytecode_to_string()


SHARED = ProcessBytecodeCache()
