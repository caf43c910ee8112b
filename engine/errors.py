"""The engine's errors; the API maps each to one HTTP status."""
from __future__ import annotations


class EngineError(Exception):
    """Base class; ``code`` is a stable machine-readable name."""

    code = "engine_error"

    def __init__(self, message_en: str, message_id: str | None = None):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_id = message_id or message_en

    def message(self, lang: str = "id") -> str:
        """The message in ``lang``."""
        return self.message_id if lang == "id" else self.message_en


class NotFound(EngineError):
    """The thing does not exist, or the caller may not see it."""

    code = "not_found"


class Forbidden(EngineError):
    """The caller may see it but not do this."""

    code = "forbidden"


class Conflict(EngineError):
    """The state changed meanwhile (a lost race, a task already completed)."""

    code = "conflict"


class Unavailable(EngineError):
    """The database does not answer (restarting, unreachable): nothing was stored; try again."""

    code = "unavailable"


class InvalidData(EngineError):
    """Field-level validation errors: ``errors`` maps field -> messages."""

    code = "invalid"

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("invalid data", "data tidak valid")
        self.errors = errors


class ProcessFailure(EngineError):
    """The process could not advance (a model or service error); nothing was stored."""

    code = "process_failure"


class ServiceError(Exception):
    """The one error type service operators (and the transports they use) raise.

    ``transient`` failures are retried with backoff; ``bpmn_error_code`` turns
    the failure into a BPMN error that a boundary event in the model catches.
    """

    def __init__(self, message: str, *, transient: bool = False, bpmn_error_code: str | None = None,
                 detail: dict | None = None):
        super().__init__(message)
        self.transient = transient
        self.bpmn_error_code = bpmn_error_code
        self.detail = detail or {}
