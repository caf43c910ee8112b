"""Process definitions and starting an instance (SOP step 1: the agency's request)."""
from __future__ import annotations

import re

from flask import Blueprint, url_for

from engine import NotFound

from api.context import actor, engine, lang
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, shared
from api.resources.schemas.requests import FormDataSchema
from api.resources.schemas.responses import DefinitionSchema, InstanceSchema

bp = Blueprint("definitions", __name__, url_prefix="/process-definitions")
KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")  # a BPMN process id (an XML NCName)


@bp.get("")
@operation("Definisi proses terbaru beserta formulir awalnya", response=DefinitionSchema, many=True,
           tag="process-definitions")
def list_definitions():
    """The newest version of every process."""
    return answer(shared(DefinitionSchema, many=True), engine().process_definitions(actor()))


@bp.post("/<key>/instances")
@operation("Ajukan permohonan baru (akun OPD)", response=InstanceSchema, status=201,
           body=FormDataSchema, errors=(403, 404), tag="process-definitions")
def start_instance(key: str):
    """Start an instance with the start form's data."""
    if not KEY.fullmatch(key):
        raise NotFound(f"no process '{key[:100]}'", f"proses '{key[:100]}' tidak ada")
    data = json_body(shared(FormDataSchema))["data"]
    view = engine().start(key, data, actor(), lang())
    location = url_for("api_v1.instances.get_instance", instance_id=view.summary.id)
    return answer(shared(InstanceSchema), view, 201, {"Location": location})
