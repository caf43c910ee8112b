"""Acting officials (Plt) over the API: list, name and end delegations; and a
request's public tracking link for its agency."""
from __future__ import annotations

from flask import Blueprint

from api.context import actor, engine, lang
from api.links import public_url
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, shared
from api.resources.schemas.delegations import DelegationRequestSchema, DelegationSchema, TrackingLinkSchema

bp = Blueprint("delegations", __name__)


@bp.get("/delegations")
@operation("Penunjukan Plt milik pemanggil (admin: semua)", response=DelegationSchema, many=True,
           tag="delegations")
def list_delegations():
    """Delegations the caller gave or stands in for; every one for an admin."""
    return answer(shared(DelegationSchema, many=True), engine().delegations.listed(actor()))


@bp.post("/delegations")
@operation("Tunjuk Plt (Kepala Dinas/Kepala Bidang)", response=DelegationSchema, status=201,
           body=DelegationRequestSchema, errors=(403,), tag="delegations")
def name_delegation():
    """Hand the caller's lane to a deputy from ``starts_on`` to ``ends_on`` (inclusive)."""
    body = json_body(shared(DelegationRequestSchema))
    view = engine().delegations.name(actor(), body["deputy"], body["starts_on"], body["ends_on"], lang())
    return answer(shared(DelegationSchema), view, status=201)


@bp.delete("/delegations/<int(max=2147483647):delegation_id>")
@operation("Akhiri penunjukan Plt (pemberi atau admin)", status=204, errors=(404,), tag="delegations")
def end_delegation(delegation_id: int):
    """End a delegation from now on (the official who gave it, or an admin)."""
    engine().delegations.cancel(delegation_id, actor())
    return "", 204


@bp.get("/instances/<uuid:instance_id>/tracking-link")
@operation("Tautan pelacakan publik satu permohonan", response=TrackingLinkSchema, errors=(404,),
           tag="instances")
def tracking_link(instance_id):
    """The request's public tracking page (made on first use), for whoever may see the request."""
    token = engine().tracking.token_for(str(instance_id), actor())
    return answer(shared(TrackingLinkSchema), {"url": public_url("web_tracking.track", token=token),
                                         "token": token})
