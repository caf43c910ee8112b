"""Logging set-up: JSON lines (production) or plain text (demo), secrets redacted.

Both formats pass each line through ``redact``, so a passcode, password, token
or secret that reaches a log message by mistake is masked.
"""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone

SECRET_WORDS = r"passcode|passphrase|password|passwd|secret|token|authorization|api[_-]?key"
# ``passcode=123456``, ``"password": "x"``, ``Authorization: Bearer abc``, ``?token=abc``
SECRET_VALUE = re.compile(
    rf"(?i)((?:{SECRET_WORDS})[\w-]*[\"']?\s*[:=]\s*[\"']?)(?:bearer\s+|basic\s+)?[^\s\"'&,;}}]+")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
STANDARD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def redact(text: str) -> str:
    """``text`` with the value after every secret-looking key replaced by ``***``."""
    return SECRET_VALUE.sub(r"\1***", text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message,
    extra fields and the exception, if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
                 "level": record.levelname, "logger": record.name,
                 "message": redact(record.getMessage())}
        entry.update({k: v for k, v in vars(record).items()
                      if k not in STANDARD_FIELDS and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain format, exceptions redacted too."""

    def __init__(self):
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for ``json`` or ``text``."""
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(log_format: str = "text", level: int = logging.INFO) -> None:
    """Send INFO and above to stderr in ``log_format``, replacing earlier handlers."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # SpiffWorkflow logs every task state change at INFO
    logging.getLogger("spiff").setLevel(logging.WARNING)
