"""Instances (requests): the list, one instance, its audit trail."""
from __future__ import annotations

from flask import Blueprint

from api.context import actor, engine
from api.resources.openapi import operation
from api.resources.payloads import answer, query, shared
from api.resources.schemas.requests import InstanceQuerySchema
from api.resources.schemas.responses import EventSchema, InstancePageSchema, InstanceSchema

bp = Blueprint("instances", __name__, url_prefix="/instances")


@bp.get("")
@operation("Daftar permohonan yang boleh dilihat pemanggil (terbaru dahulu)",
           response=InstancePageSchema, query=InstanceQuerySchema, tag="instances")
def list_instances():
    """A filtered page of instances."""
    filters = query(shared(InstanceQuerySchema))
    return answer(shared(InstancePageSchema), engine().list_instances(actor(), **filters))


@bp.get("/<uuid:instance_id>")
@operation("Satu permohonan: status, tugas, data, rapat, surat", response=InstanceSchema,
           errors=(404,), tag="instances")
def get_instance(instance_id):
    """An instance as the caller may see it."""
    return answer(shared(InstanceSchema), engine().get_instance(str(instance_id), actor()))


@bp.get("/<uuid:instance_id>/events")
@operation("Jejak audit permohonan, terlama dahulu", response=EventSchema, many=True,
           errors=(404,), tag="instances")
def list_events(instance_id):
    """The audit trail of an instance."""
    return answer(shared(EventSchema, many=True), engine().events(str(instance_id), actor()))
