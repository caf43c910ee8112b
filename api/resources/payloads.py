"""Request bodies and query strings in, JSON answers out, all through schemas."""
from __future__ import annotations

import functools

from flask import jsonify, request
from werkzeug.exceptions import BadRequest

from api.errors import ApiError

MAX_JSON_DEPTH = 32


@functools.lru_cache(maxsize=None)
def shared(schema_class, many: bool = False):
    """One instance of ``schema_class`` for every request: building a schema copies its
    fields and its nested schemas', which took a tenth of a small request's time
    (dumping and loading keep no state on the instance)."""
    return schema_class(many=many)


def json_body(schema) -> dict:
    """The request's JSON body loaded by ``schema`` (400 when it is not JSON or nested
    deeper than ``MAX_JSON_DEPTH``, 422 when invalid)."""
    if not request.is_json:
        raise ApiError(400, "bad_request", "json_required")
    try:
        body = request.get_json()
    except BadRequest:
        raise ApiError(400, "bad_request", "bad_json") from None
    except RecursionError:  # the parser recurses once per level and stops itself
        raise ApiError(400, "bad_request", "json_too_deep") from None
    if json_depth(body) > MAX_JSON_DEPTH:
        raise ApiError(400, "bad_request", "json_too_deep")
    return schema.load(body)


def json_depth(value) -> int:
    """How deep the arrays and objects of a parsed JSON value nest (a scalar: 0)."""
    deepest, level = 0, [value]
    while level:
        containers = [v for v in level if isinstance(v, (dict, list))]
        if not containers:
            break
        deepest += 1
        level = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)]
    return deepest


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
