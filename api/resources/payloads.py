"""Request bodies and query strings in, JSON answers out, all through schemas."""
from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import BadRequest

from api.errors import ApiError


def json_body(schema) -> dict:
    """The request's JSON body loaded by ``schema`` (400 when it is not JSON, 422 when invalid)."""
    if not request.is_json:
        raise ApiError(400, "bad_request", "json_required")
    try:
        body = request.get_json()
    except BadRequest:
        raise ApiError(400, "bad_request", "bad_json") from None
    return schema.load(body)


def query(schema) -> dict:
    """The query string loaded by ``schema``; an empty parameter counts as absent (as forms
    send them), a parameter given twice counts once (its first value)."""
    return schema.load({k: v for k, v in request.args.to_dict(flat=True).items() if v != ""})


def answer(schema, value, status: int = 200, headers=None):
    """``value`` dumped by ``schema`` as a JSON response."""
    response = jsonify(schema.dump(value))
    response.status_code = status
    response.headers.update(headers or {})
    return response
