"""Incidents: external service jobs whose retries ran out, and retrying them."""
from __future__ import annotations

from flask import Blueprint

from api.context import actor, engine
from api.resources.openapi import operation
from api.resources.payloads import answer, shared
from api.resources.schemas.responses import JobSchema

bp = Blueprint("jobs", __name__)


@bp.get("/incidents")
@operation("Insiden layanan eksternal (admin, manajer)", response=JobSchema, many=True,
           errors=(403,), tag="incidents")
def list_incidents():
    """Jobs in the incident state."""
    return answer(shared(JobSchema, many=True), engine().incidents(actor()))


@bp.post("/jobs/<int(max=2147483647):job_id>/retry")
@operation("Ulangi insiden (admin)", response=JobSchema, errors=(403, 404, 409), tag="incidents")
def retry_job(job_id: int):
    """Put an incident back in the worker's queue."""
    return answer(shared(JobSchema), engine().retry_job(job_id, actor()))
