"""Personal data of requests' contacts (UU 27/2022): export and erasure of one
person's data, for admins."""
from __future__ import annotations

from flask import Blueprint

from api.context import actor, engine, lang
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, query, shared
from api.resources.schemas.personal_data import PersonErasedSchema, PersonExportSchema, PersonQuerySchema

bp = Blueprint("personal_data", __name__, url_prefix="/personal-data")


@bp.get("")
@operation("Ekspor data pribadi satu orang (admin)", response=PersonExportSchema, query=PersonQuerySchema,
           errors=(403, 422), tag="personal-data")
def export_person():
    """Every request and audit event holding the e-mail or phone ``q``."""
    needle = query(shared(PersonQuerySchema))["q"]
    return answer(shared(PersonExportSchema), engine().privacy.export(needle, actor(), lang()))


@bp.post("/erase")
@operation("Hapus data pribadi satu orang (admin)", response=PersonErasedSchema, body=PersonQuerySchema,
           errors=(403, 422), tag="personal-data")
def erase_person():
    """Erase the contact data of every request holding the e-mail or phone ``q``; audited."""
    needle = json_body(shared(PersonQuerySchema))["q"]
    return answer(shared(PersonErasedSchema), {"erased": engine().privacy.erase(needle, actor(), lang())})
