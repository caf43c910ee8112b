"""Host accounts (licensed Zoom users) managed by an admin."""
from __future__ import annotations

from flask import Blueprint

from api.context import actor, engine, lang
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, shared
from api.resources.schemas.meetings import HostAccountCreateSchema, HostAccountSchema, HostAccountUpdateSchema

bp = Blueprint("host_accounts", __name__, url_prefix="/host-accounts")


@bp.get("")
@operation("Akun host Zoom (admin)", response=HostAccountSchema, many=True, errors=(403,),
           tag="host-accounts")
def list_host_accounts():
    """Every host account."""
    return answer(shared(HostAccountSchema, many=True), engine().host_accounts(actor()))


@bp.post("")
@operation("Tambah akun host Zoom (admin)", response=HostAccountSchema, status=201,
           body=HostAccountCreateSchema, errors=(403, 409), tag="host-accounts")
def create_host_account():
    """Add a host account; 409 when its id is taken."""
    body = json_body(shared(HostAccountCreateSchema))
    view = engine().create_host_account(body, actor(), lang())
    return answer(shared(HostAccountSchema), view, status=201)


@bp.patch("/<string(maxlength=40):host_id>")
@operation("Ubah akun host Zoom (admin)", response=HostAccountSchema, body=HostAccountUpdateSchema,
           errors=(403, 404), tag="host-accounts")
def update_host_account(host_id: str):
    """Change a host account's name, e-mail, capacity, participant limit or state."""
    body = json_body(shared(HostAccountUpdateSchema))
    return answer(shared(HostAccountSchema), engine().update_host_account(host_id, body, actor(), lang()))
