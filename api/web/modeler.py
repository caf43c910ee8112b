"""The analysts' BPMN modeler page and the JSON endpoints its script calls
(session cookie plus the CSRF token header): source, catalogue, validate,
save a draft, deploy. Analysts and admins only."""
from __future__ import annotations

import json

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from engine import DeployError, EngineError, Forbidden, InvalidData, Modeler, NotFound

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_modeler", __name__)
errors.attach(bp)
data_bp = Blueprint("web_modeler_data", __name__, url_prefix="/proses/<key>/modeler")
MAX_BPMN_BYTES = 2 * 1024 * 1024
ROLES = ("analyst", "admin")


def may_model(actor) -> bool:
    """True when ``actor`` may open the modeler (the nav shows the link)."""
    return actor is not None and any(actor.has(r) for r in ROLES)


def _modeler() -> Modeler:
    return Modeler(engine())


def _number(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/modeler")
@login_required
def home():
    """The modeler of the first process (the nav link)."""
    definitions = engine().process_definitions(current_actor())
    if not may_model(current_actor()) or not definitions:
        raise Forbidden("analysts and admins only", "hanya analis dan admin")
    return redirect(url_for("web_modeler.modeler", key=definitions[0].key))


@bp.get("/proses/<key>/modeler")
@login_required
def modeler(key: str):
    """The modeler on version ``?versi=N`` (default the newest) or draft ``?draf=ID``."""
    actor = current_actor()
    source = _modeler().source(key, actor, _number("versi"), _number("draf"))
    drafts = _modeler().drafts(key, actor)
    catalogue = _modeler().catalogue(key, actor)
    return render_template("web/modeler.html", key=key, source=source, drafts=drafts,
                           versions=catalogue.versions)


# -- the script's JSON endpoints ------------------------------------------------------


@data_bp.before_request
def _signed_in():
    if current_actor() is None:
        return jsonify(error="signed_out"), 401
    return None


@data_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return jsonify(error=exc.description if exc.description == "csrf" else exc.name), exc.code or 500


@data_bp.errorhandler(EngineError)
def _engine_error(exc: EngineError):
    if isinstance(exc, InvalidData):
        return jsonify(error="invalid", errors=exc.errors), 400
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, Forbidden) else 400
    return jsonify(error=exc.message(page_lang())), status


@data_bp.errorhandler(DeployError)
def _deploy_error(exc: DeployError):
    return jsonify(problems=_problems(exc.problems)), 422


@data_bp.get("/sumber")
def source(key: str):
    """The BPMN and forms of a version (``?versi=N``) or a draft (``?draf=ID``)."""
    found = _modeler().source(key, current_actor(), _number("versi"), _number("draf"))
    return jsonify(key=found.key, version=found.version, draft_id=found.draft_id,
                   bpmn=found.bpmn, forms=found.forms)


@data_bp.get("/katalog")
def catalogue(key: str):
    """What the side panel offers: operators, form files, role lanes, versions and the
    grammar of a time standard (the engine's, so the panel and the deploy agree)."""
    found = _modeler().catalogue(key, current_actor())
    return jsonify(operators=[{"name": o.name, "description": o.description, "external": o.external}
                              for o in found.operators],
                   form_files=found.form_files, lanes=found.lanes, versions=found.versions,
                   duration_pattern=found.duration_pattern)


@data_bp.post("/validasi")
def validate(key: str):
    """The problems of the posted model (nothing stored)."""
    bpmn, forms = _posted()
    return jsonify(problems=_problems(_modeler().validate(key, bpmn, forms, current_actor())))


@data_bp.post("/draf")
def save_draft(key: str):
    """Store the posted model as a draft, with its problems."""
    bpmn, forms = _posted()
    draft = _modeler().save_draft(key, bpmn, forms, current_actor())
    return jsonify(_draft(draft)), 201


@data_bp.get("/draf")
def drafts(key: str):
    """The newest drafts."""
    return jsonify(drafts=[_draft(d) for d in _modeler().drafts(key, current_actor())])


@data_bp.post("/terapkan")
def deploy(key: str):
    """Deploy the posted model: 201 with the new version, 422 with the problems."""
    bpmn, forms = _posted()
    deployed = _modeler().deploy(key, bpmn, forms, current_actor())
    return jsonify(key=deployed.key, version=deployed.version, hash=deployed.hash,
                   created=deployed.created), 201 if deployed.created else 200


def _posted() -> tuple[bytes, dict]:
    """``bpmn`` (a file or a field) and ``forms`` (a JSON object of file name -> text)."""
    upload = request.files.get("bpmn")
    if upload:
        with upload.stream:  # a large upload is spooled to a temporary file
            bpmn = upload.read(MAX_BPMN_BYTES + 1)
    else:
        bpmn = request.form.get("bpmn", "").encode("utf-8")
    if not bpmn.strip():
        raise InvalidData({"bpmn": [_("Berkas BPMN kosong.")]})
    if len(bpmn) > MAX_BPMN_BYTES:
        raise InvalidData({"bpmn": [_("Berkas BPMN lebih besar dari 2 MB.")]})
    try:
        forms = json.loads(request.form.get("forms") or "{}")
    except (ValueError, RecursionError):  # RecursionError: nested too deep to read
        forms = None
    if not isinstance(forms, dict) or not all(
            isinstance(k, str) and k.endswith(".json") and isinstance(v, str) for k, v in forms.items()):
        raise InvalidData({"forms": [_("Formulir harus berupa objek JSON: nama berkas .json -> isi.")]})
    return bpmn, forms


def _problems(problems) -> list[dict]:
    lang = page_lang()
    return [{"element_id": p.element_id, "message": p.message(lang)} for p in problems]


def _draft(draft) -> dict:
    return {"id": draft.id, "key": draft.key, "saved_by": draft.saved_by,
            "saved_at": draft.saved_at.isoformat(), "problems": _problems(draft.problems)}
