"""The one mapping from an engine error to an HTTP answer: its status, stable
code, the words the user reads and extra headers. The JSON API
(``api.errors``, under ``/api/``) and the pages (``api.web.errors``) only
render what this decides, so both answer the same status for the same error.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine import Conflict, EngineError, Forbidden, InvalidData, NotFound, ProcessFailure, Unavailable

from api.messages import text

RETRY_AFTER_SECONDS = "5"  # a restarting database is usually back within seconds
# (error, status, catalogue message shown instead of the engine's words or None); first match wins
STATUSES: tuple[tuple[type[EngineError], int, str | None], ...] = (
    (InvalidData, 422, "invalid"),
    (NotFound, 404, None),
    (Forbidden, 403, None),
    (Conflict, 409, None),
    (Unavailable, 503, None),
    # the details can name model internals: logged for the administrator, not shown
    (ProcessFailure, 502, "process_failure"),
)
OTHER_STATUS = 400


@dataclass(frozen=True)
class ErrorAnswer:
    """What to answer for an engine error."""

    status: int
    code: str
    message: str
    headers: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)  # field -> messages, for invalid data
    logged: bool = False  # the engine's words go to the log, not to the user


def engine_answer(exc: EngineError, lang: str) -> ErrorAnswer:
    """The status, code and words (in ``lang``) for ``exc``."""
    status, hidden = next(((s, m) for cls, s, m in STATUSES if isinstance(exc, cls)),
                          (OTHER_STATUS, None))
    if isinstance(exc, ProcessFailure) and getattr(exc, "blocked", False):
        status = 409  # the state does not allow it: the caller can change that, unlike a broken model
    unavailable = getattr(exc, "unavailable", None)  # a signature refused: its own sentence
    if unavailable is not None:
        status, hidden = (502 if unavailable else 422), None
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
    fields = dict(exc.errors) if isinstance(exc, InvalidData) else {}
    message = text(hidden, lang) if hidden else exc.message(lang)
    return ErrorAnswer(status, exc.code, message, headers, fields, logged=isinstance(exc, ProcessFailure))
