"""JSON answers for errors. Which status and words an engine error gets is
decided once, in ``api.error_mapping`` (the pages use it too).

Under ``/api`` every error is JSON (never a stack trace or an HTML page):
``{"error": code, "message": text}``, and for invalid input
``{"error": "invalid", "message": ..., "errors": {field: [message]}}``.
"""
from __future__ import annotations

import logging

from flask import jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from engine import EngineError, InvalidData

from api.context import lang
from api.error_mapping import engine_answer
from api.messages import text

log = logging.getLogger("vicon.api")

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "bad_request",
              429: "too_many_attempts"}


class ApiError(Exception):
    """An error the API answers itself: status, stable code, message code."""

    def __init__(self, status: int, code: str, message: str | None = None, headers=None):
        super().__init__(code)
        self.status, self.code = status, code
        self.message = message or code
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers=None):
    """A JSON error answer."""
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def invalid_response(errors: dict):
    """A 422 answer with field-level messages."""
    language = lang()
    fields = {name: [text(m, language) for m in messages] for name, messages in errors.items()}
    response = jsonify({"error": "invalid", "message": text("invalid", language), "errors": fields})
    response.status_code = 422
    return response


def flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as ``{"a.b": [message]}`` (``_schema`` becomes ``_form``)."""
    if isinstance(messages, list):
        return {prefix or "_form": [str(m) for m in messages]}
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = "_form" if key == "_schema" else str(key)
        flat.update(flatten(value, f"{prefix}.{name}" if prefix else name))
    return flat


def _api_error(exc: ApiError):
    return error_response(exc.status, exc.code, text(exc.message, lang()), exc.headers)


def _validation_error(exc: ValidationError):
    return invalid_response(flatten(exc.messages))


def _engine_error(exc: EngineError):
    answer = engine_answer(exc, lang())
    if answer.logged:
        log.error("process failure on %s %s: %s", request.method, request.path, exc.message_en)
    if isinstance(exc, InvalidData) and answer.code == "invalid":
        return invalid_response(answer.fields)
    if answer.fields:  # a refused signature: its own code, status and sentence, on its field too
        response = jsonify({"error": answer.code, "message": answer.message, "errors": answer.fields})
        response.status_code = answer.status
        return response
    return error_response(answer.status, answer.code, answer.message, answer.headers)


def _http_error(exc: HTTPException):
    if not request.path.startswith("/api/"):
        from api.web.errors import http_error_page  # the pages import this module (through error_mapping)
        return http_error_page(exc)  # the pages' own error page, never werkzeug's English one
    status = exc.code or 500
    code = HTTP_CODES.get(status, "error")
    allowed = getattr(exc, "valid_methods", None)  # only on 405
    headers = {"Allow": ", ".join(allowed)} if allowed else {}
    message = text(code, lang()) if code in HTTP_CODES.values() else (exc.description or code)
    return error_response(status, code, message, headers)


def _unexpected(exc: Exception):
    # Only the route and the exception: request bodies may hold passwords.
    log.exception("unexpected error on %s %s", request.method, request.path)
    if request.path.startswith("/api/"):
        return error_response(500, "internal_error", text("internal_error", lang()))
    return text("internal_error", lang()), 500, {"Content-Type": "text/plain; charset=utf-8"}


def register(app) -> None:
    """Install the handlers on ``app``."""
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(EngineError, _engine_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
