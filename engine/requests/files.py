"""A request's scanned letter: reading it back, and registering a request on
behalf of an agency (the Kadis's secretariat, with the scan it received)."""
from __future__ import annotations

import base64
import binascii

from sqlalchemy import select

from engine.accounts import access
from engine.errors import Forbidden, InvalidData, NotFound
from engine.definitions.forms import message
from engine.requests import starting
from engine.runtime.runner import task_data
from engine.storage.models import Agency, Instance
from engine.views import Actor

SCAN_READERS = frozenset({"kadis", "kabid", "subkoordinator", "staf", "manager"})  # the lanes' officials
PREFIX = "data:application/pdf;base64,"
REGISTRAR = "staf"


class RequestFiles:
    """The scan of a request and registrations for agencies (the engine's ``request_files``)."""

    def __init__(self, kernel):
        self.kernel = kernel

    def scan(self, instance_id: str, actor) -> bytes:
        """The scanned request letter as PDF bytes: for the officials of the request's
        lanes (and their acting deputies), managers and the requesting agency."""
        with self.kernel.db.reading() as session:
            instance = session.get(Instance, str(instance_id))
            if instance is None:
                raise NotFound("no such request", "permohonan tidak ditemukan")
            access.require_instance(actor, instance.agency_id)
            if not (actor.roles & SCAN_READERS or actor.acting_for or _owns(actor, instance)):
                raise Forbidden("your role may not open the scan", "peran Anda tidak dapat membuka pindaian surat")
            workflow, _ = self.kernel.peek(session, instance)
            value = (task_data(workflow).get("request") or {}).get("letter_file")
        content = _pdf(value)
        if content is None:
            raise NotFound("this request has no scanned letter", "permohonan ini tidak melampirkan pindaian surat")
        return content

    def agencies(self) -> list[tuple[str, str]]:
        """(code, name) of every agency, for the secretariat's selector."""
        with self.kernel.db.reading() as session:
            return [(c, n) for c, n in session.execute(select(Agency.code, Agency.name).order_by(Agency.name))]

    def register(self, key: str, data, actor, agency_code: str, lang: str = "id"):
        """Start a request for ``agency_code`` as the secretariat (staff): the request
        belongs to the agency, the audit names who registered it for whom."""
        access.require_role(actor, REGISTRAR)
        with self.kernel.db.reading() as session:
            agency = session.scalars(select(Agency).where(Agency.code == (agency_code or ""))).first()
        if agency is None:
            raise InvalidData({"agency": [message("required", lang) if not agency_code else
                                          ("Instansi tidak dikenal." if lang == "id" else "Unknown agency.")]})
        as_agency = Actor(actor.username, frozenset({"opd"}), agency.id, agency.code, actor.full_name,
                          agency_name=agency.name)
        return starting.start(self.kernel, key, data, as_agency, lang, on_behalf_of=f"agency:{agency.code}")


def _owns(actor, instance) -> bool:
    return actor.has("opd") and actor.agency_id is not None and actor.agency_id == instance.agency_id


def _pdf(value) -> bytes | None:
    if not isinstance(value, str) or not value.startswith(PREFIX):
        return None
    try:
        content = base64.b64decode(value[len(PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        return None
    return content if content.startswith(b"%PDF-") else None
