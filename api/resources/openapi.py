"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas.

Each JSON view is marked with ``@operation(...)``; ``build_spec`` walks the
app's URL map, so a route cannot be served without being described.
"""
from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from api.resources.schemas.responses import ErrorSchema, InvalidSchema

API_PREFIX = "/api/v1"
ERROR_DESCRIPTIONS = {
    400: "Malformed JSON or not JSON", 401: "No, bad or expired token", 413: "The upload is too large",
    403: "The role may not do this",
    404: "Does not exist, or the caller may not see it", 409: "Changed meanwhile or already done",
    422: "Invalid input: messages per field",
    429: "Too many failed sign-ins (5 per 15 minutes per username and address)", 502: "The process could not advance",
}
PATH_TYPES = {"int": {"type": "integer"}, "uuid": {"type": "string", "format": "uuid"}}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def operation(summary: str, *, response=None, status: int = 200, many: bool = False, body=None,
              query=None, errors=(), public: bool = False, tag: str = "vicon", media: str | None = None,
              body_media: str = "application/json", invalid=None):
    """Describe a view for the OpenAPI document; ``public`` views need no token; ``media``
    names a non-JSON answer (e.g. ``application/pdf``), ``body_media`` a non-JSON body
    (e.g. ``multipart/form-data``), ``invalid`` the schema of its 422 answer."""
    def mark(view):
        view.openapi = {"summary": summary, "response": response, "status": status, "many": many,
                        "body": body, "query": query, "errors": tuple(errors), "tag": tag,
                        "media": media, "body_media": body_media, "invalid": invalid}
        view.public = public
        return view
    return mark


def build_spec(app) -> dict:
    """The OpenAPI document of every described route under ``/api/v1``."""
    plugin = MarshmallowPlugin()
    spec = APISpec(title="vicon API", version="1", openapi_version="3.0.3", plugins=[plugin],
                   info={"description": "Layanan fasilitasi Zoom Meeting Diskominfo Kota Tarakan "
                                        "(SOP sebagai proses BPMN)."},
                   servers=[{"url": "/"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "openapi", None)
        if meta is None or not rule.rule.startswith(API_PREFIX):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(rule.rule, {})[method.lower()] = _operation(meta, view, rule)
    for rule, operations in paths.items():
        spec.path(path=_PARAMETER.sub(r"{\g<name>}", rule), operations=operations,
                  parameters=_path_parameters(rule))
    return spec.to_dict()


def _path_parameters(rule: str) -> list[dict]:
    return [{"in": "path", "name": m["name"], "required": True,
             "schema": PATH_TYPES.get(m["converter"], {"type": "string"})}
            for m in _PARAMETER.finditer(rule)]


def _operation(meta: dict, view, rule) -> dict:
    response = {"description": meta["summary"]}
    if meta["response"] is not None:
        schema = meta["response"](many=True) if meta["many"] else meta["response"]
        response["content"] = {"application/json": {"schema": schema}}
    elif meta.get("media"):
        response["content"] = {meta["media"]: {"schema": {"type": "string", "format": "binary"}}}
    result = {"summary": meta["summary"], "tags": [meta["tag"]], "operationId": rule.endpoint,
              "responses": {str(meta["status"]): response}}
    if meta["body"] is not None:
        result["requestBody"] = {"required": True,
                                 "content": {meta.get("body_media", "application/json"): {"schema": meta["body"]}}}
    if meta["query"] is not None:
        result["parameters"] = [{"in": "query", "schema": meta["query"]}]
    errors = set(meta["errors"])
    if meta["body"] is not None:
        errors |= {400, 422}
    if meta["query"] is not None:
        errors.add(422)
    if view.public:
        result["security"] = []
    else:
        result["security"] = [{"bearer": []}]
        errors.add(401)
    for status in sorted(errors):
        schema = (meta.get("invalid") or InvalidSchema) if status == 422 else ErrorSchema
        result["responses"][str(status)] = {"description": ERROR_DESCRIPTIONS[status],
                                            "content": {"application/json": {"schema": schema}}}
    return result
