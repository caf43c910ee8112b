"""Request shapes from Zoom's own API description (``../shared/contracts``):
the fake Zoom server refuses a body the contract would not accept, as Zoom
answers it (HTTP 400, code 300, ``errors`` per field)."""
from __future__ import annotations

import json
import pathlib
import re

from jsonschema import Draft4Validator

from tests.shared_data import SHARED

CONTRACT = SHARED / "contracts" / "zoom-api-v2.openapi.json"
PASSCODE = re.compile(r"^[A-Za-z0-9@\-_*]{1,10}$")
UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def _inline(node, definitions, depth=0):
    """``node`` with every ``#/definitions/...`` reference replaced by its target
    (``depth`` counts expansions: a cycle ends as an empty schema)."""
    if isinstance(node, dict):
        if "$ref" in node and node["$ref"].startswith("#/definitions/"):
            target = definitions[node["$ref"].rsplit("/", 1)[1]]
            return _inline(target, definitions, depth + 1) if depth < 8 else {}
        return {k: _inline(v, definitions, depth) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, definitions, depth) for v in node]
    return node


def _properties(schema) -> dict:
    """The properties a schema names, through ``allOf``."""
    found = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found.update(_properties(part))
    return found


class Contract:
    """Body checks for the calls the fake serves (none when the file is absent)."""

    def __init__(self, path=CONTRACT):
        self.available = pathlib.Path(path).is_file()
        self.bodies = {}
        if self.available:
            document = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
            for key, (route, method) in {"create": ("/users/{userId}/meetings", "post"),
                                         "update": ("/meetings/{meetingId}", "patch")}.items():
                body = next(p for p in document["paths"][route][method]["parameters"] if p.get("in") == "body")
                self.bodies[key] = _inline(body["schema"], document["definitions"])

    def problems(self, kind: str, body) -> list[dict]:
        """Zoom-style ``errors`` for ``body`` of call ``kind`` (empty: acceptable)."""
        if not isinstance(body, dict):
            return [{"field": "body", "message": "Request body must be a JSON object."}]
        errors = []
        if self.available:
            schema = self.bodies[kind]
            known = _properties(schema)
            errors += [{"field": k, "message": "Unknown field."} for k in body if k not in known]
            settings = _properties(known.get("settings", {}))
            errors += [{"field": f"settings.{k}", "message": "Unknown field."}
                       for k in (body.get("settings") or {}) if k not in settings]
            errors += [{"field": ".".join(map(str, e.absolute_path)) or "body", "message": e.message}
                       for e in Draft4Validator(schema).iter_errors(body)]
        return errors + self._rules(body)

    @staticmethod
    def _rules(body) -> list[dict]:
        """What the prose of the contract says: passcode characters, time formats."""
        errors = []
        if "password" in body and not PASSCODE.match(str(body["password"])):
            errors.append({"field": "password", "message": "Invalid passcode."})
        start = body.get("start_time")
        if start is not None and not (UTC_TIME.match(start) or (LOCAL_TIME.match(start) and body.get("timezone"))):
            errors.append({"field": "start_time", "message": "Invalid date-time."})
        return errors
