"""Letters as PDF: the draft's preview (staff), letters sent to the agency
(staff and the requesting agency), the disposition sheet (staff)."""
from __future__ import annotations

from flask import Blueprint, Response

from api.context import actor, engine, lang
from api.resources.openapi import operation
from api.resources.payloads import json_body, shared
from api.resources.schemas.requests import FormDataSchema

bp = Blueprint("letters", __name__, url_prefix="/instances")
PDF = "application/pdf"


def _pdf(data: bytes, name: str, *, inline: bool, cache: bool = True) -> Response:
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
    if not cache:
        headers["Cache-Control"] = "no-store"
    return Response(data, mimetype=PDF, headers=headers)


@bp.get("/<uuid:instance_id>/letters/draft.pdf")
@operation("Pratinjau draf surat tanggapan (konsep) sebagai PDF, untuk staf",
           errors=(403, 404), tag="letters", media=PDF)
def draft_pdf(instance_id):
    """The current draft as a konsep PDF."""
    pdf = engine().letters.draft_pdf(str(instance_id), actor())
    return _pdf(pdf, "konsep-surat-tanggapan.pdf", inline=True, cache=False)


@bp.post("/<uuid:instance_id>/letters/draft.pdf")
@operation("Pratinjau langsung: draf yang sedang diedit (data formulir T07) sebagai PDF, "
           "tanpa menyimpan apa pun; untuk staf", body=FormDataSchema, errors=(403, 404),
           tag="letters", media=PDF)
def live_preview_pdf(instance_id):
    """The draft being edited as a konsep PDF."""
    data = json_body(shared(FormDataSchema))["data"]
    pdf = engine().letters.draft_pdf(str(instance_id), actor(), data, lang())
    return _pdf(pdf, "konsep-surat-tanggapan.pdf", inline=True, cache=False)


@bp.get("/<uuid:instance_id>/letters/<int:letter_id>.pdf")
@operation("Surat yang telah dikirim ke OPD, sebagai PDF (staf dan OPD pemohon)",
           errors=(404,), tag="letters", media=PDF)
def letter_pdf(instance_id, letter_id):
    """A letter sent to the agency."""
    pdf = engine().letters.sent_pdf(str(instance_id), letter_id, actor())
    return _pdf(pdf, f"surat-{letter_id}.pdf", inline=False)


@bp.get("/<uuid:instance_id>/disposition.pdf")
@operation("Lembar disposisi permohonan sebagai PDF, untuk staf", errors=(403, 404),
           tag="letters", media=PDF)
def disposition_pdf(instance_id):
    """The disposition sheet."""
    pdf = engine().letters.disposition_pdf(str(instance_id), actor())
    return _pdf(pdf, "lembar-disposisi.pdf", inline=True, cache=False)
