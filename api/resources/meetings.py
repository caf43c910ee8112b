"""A request's meeting: the agency withdraws the request, staff move the meeting."""
from __future__ import annotations

from flask import Blueprint

from api.context import actor, engine, lang
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, shared
from api.resources.schemas.meetings import RescheduleSchema, WithdrawSchema
from api.resources.schemas.responses import InstanceSchema

bp = Blueprint("meetings", __name__, url_prefix="/instances")


@bp.post("/<uuid:instance_id>/withdraw")
@operation("Batalkan permohonan (OPD pemohon, sebelum rapat dimulai); rapat Zoom dihapus",
           response=InstanceSchema, body=WithdrawSchema, errors=(403, 404, 409), tag="instances")
def withdraw(instance_id):
    """Withdraw the request; 409 when it can no longer be withdrawn."""
    body = json_body(shared(WithdrawSchema))
    return answer(shared(InstanceSchema), engine().withdraw(str(instance_id), actor(), body["reason"], lang()))


@bp.post("/<uuid:instance_id>/reschedule")
@operation("Pindahkan rapat ke waktu lain yang kosong (Subkoordinator, Staf, admin); OPD diberi tahu",
           response=InstanceSchema, body=RescheduleSchema, errors=(403, 404, 409), tag="instances")
def reschedule(instance_id):
    """Move the meeting; 422 names a busy slot and the nearest free ones."""
    body = json_body(shared(RescheduleSchema))
    view = engine().reschedule_meeting(str(instance_id), body["start_at"], actor(),
                                       body.get("reason", ""), lang())
    return answer(shared(InstanceSchema), view)
