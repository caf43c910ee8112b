"""The managers' API: a request's diagram with its elements' states."""
from __future__ import annotations

from flask import Blueprint

from engine import Oversight

from api.context import actor, engine
from api.resources.openapi import operation
from api.resources.payloads import answer, shared
from api.resources.schemas.diagram import DiagramSchema

bp = Blueprint("oversight", __name__)


@bp.get("/instances/<uuid:instance_id>/diagram")
@operation("Diagram proses permohonan dengan status tiap elemen (manajer, admin)",
           response=DiagramSchema, errors=(403, 404), tag="instances")
def diagram(instance_id):
    """The BPMN of the version the request runs, with completed, current and failed ids."""
    return answer(shared(DiagramSchema), Oversight(engine()).diagram(actor(), str(instance_id)))
