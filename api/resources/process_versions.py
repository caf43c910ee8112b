"""Uploading process definitions (validate, deploy), their versions, and moving
running requests to another version. Analysts and administrators only."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from engine import DeployError, Forbidden, NotFound

from api.context import actor, engine, lang as header_lang
from api.resources.definitions import KEY
from api.messages import LANGUAGES
from api.resources.openapi import operation
from api.resources.payloads import answer, json_body, shared
from api.resources.schemas.process_versions import (DeployedSchema, DryRunSchema, InvalidProcessSchema,
                                       MigrationRequestSchema,
                                       MigrationResultSchema, ProblemsSchema, UploadSchema,
                                       VersionSchema)

bp = Blueprint("process_versions", __name__, url_prefix="/process-definitions")
MULTIPART = "multipart/form-data"
READ_LIMIT = 2 * 1024 * 1024 + 1  # one byte over the engine's limit: it names the file too large


def lang() -> str:
    """``?lang=en|id`` when given, else the Accept-Language preference."""
    asked = request.args.get("lang")
    return asked if asked in LANGUAGES else header_lang()


def _require_analyst() -> None:
    if not (actor().has("analyst") or actor().has("admin")):
        raise Forbidden("your role may not do this", "peran Anda tidak diizinkan melakukan ini")


def _checked_key(key: str) -> str:
    if not KEY.fullmatch(key):
        raise NotFound(f"no process '{key[:100]}'", f"proses '{key[:100]}' tidak ada")
    return key


def _basename(filename: str | None) -> str:
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1]


def uploaded_files() -> tuple[bytes, dict[str, bytes]]:
    """The multipart ``bpmn`` file and the ``forms`` files by name (413 over the body limit,
    checked before anything is parsed)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    upload = request.files.get("bpmn")
    bpmn = upload.read(READ_LIMIT) if upload is not None else b""
    # a browser sends an empty part without a name when no form file was chosen
    forms = {_basename(f.filename): f.read(READ_LIMIT)
             for f in request.files.getlist("forms") if f.filename}
    return bpmn, forms


def problems_response(problems, status: int):
    """``{"problems": [{element_id, message}]}`` in the caller's language."""
    language = lang()
    body: dict[str, Any] = {"problems": [{"element_id": p.element_id, "message": p.message(language)}
                                         for p in problems]}
    if status == 422:
        body.update(error="invalid_process",
                    message="Definisi proses tidak valid." if language == "id"
                    else "The process definition is invalid.")
    response = jsonify(body)
    response.status_code = status
    return response


@bp.post("")
@operation("Unggah dan terapkan definisi proses (analis, admin): 201 versi baru, 200 isi yang sama "
           "sudah ada; 422 daftar masalah per elemen", response=DeployedSchema, status=201,
           body=UploadSchema, body_media=MULTIPART, invalid=InvalidProcessSchema,
           errors=(403, 409, 413),
           tag="process-definitions")
def deploy_definition():
    """Validate and deploy; the same content deploys once (200 with the existing version)."""
    _require_analyst()
    bpmn, forms = uploaded_files()
    try:
        deployed = engine().deploy(bpmn, forms, actor())
    except DeployError as exc:
        return problems_response(exc.problems, 422)
    return answer(shared(DeployedSchema), deployed, 201 if deployed.created else 200)


@bp.post("/validate")
@operation("Periksa definisi proses tanpa menyimpan (analis, admin): daftar masalah per elemen, "
           "kosong bila dapat diterapkan", response=ProblemsSchema, body=UploadSchema,
           body_media=MULTIPART, errors=(403, 413), tag="process-definitions")
def validate_definition():
    """XSD and lint; nothing is stored."""
    _require_analyst()
    bpmn, forms = uploaded_files()
    return problems_response(engine().validate(bpmn, forms), 200)


@bp.get("/<key>/versions")
@operation("Versi-versi proses: siapa menerapkan kapan, perubahan terhadap versi sebelumnya, "
           "permohonan yang masih berjalan (analis, admin)", response=VersionSchema, many=True,
           errors=(403, 404), tag="process-definitions")
def list_versions(key: str):
    """Every version, newest first."""
    versions = engine().process_versions(_checked_key(key), actor())
    return answer(shared(VersionSchema, many=True), versions)


@bp.get("/<key>/versions/<int:version>/bpmn")
@operation("BPMN XML sebuah versi, persis seperti diterapkan (analis, admin)",
           media="application/xml", errors=(403, 404), tag="process-definitions")
def version_bpmn(key: str, version: int):
    """The stored XML, for the modeler to open."""
    data = engine().version_bpmn(_checked_key(key), version, actor())
    return Response(data, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{key}-v{version}.bpmn"',
        "X-Content-Type-Options": "nosniff"})


@bp.post("/<key>/migrations/dry-run")
@operation("Uji coba pemindahan permohonan berjalan ke versi lain: per permohonan langkah saat "
           "ini, dapat dipindah atau alasannya; tidak ada yang disimpan (analis, admin)",
           response=DryRunSchema, body=MigrationRequestSchema, errors=(403, 404),
           tag="process-definitions")
def migration_dry_run(key: str):
    """Every running request (or the chosen ones) checked against the target version."""
    body = json_body(shared(MigrationRequestSchema))
    checks = engine().migration_dry_run(_checked_key(key), body["to_version"],
                                        body.get("instance_ids"), actor(), lang())
    return answer(shared(DryRunSchema), {"instances": checks})


@bp.post("/<key>/migrations")
@operation("Pindahkan permohonan terpilih ke versi lain; masing-masing dicatat di jejak audit "
           "(analis, admin)", response=MigrationResultSchema, body=MigrationRequestSchema,
           errors=(403, 404), tag="process-definitions")
def migrate(key: str):
    """Move the chosen requests; those that cannot move are refused with the reason."""
    body = json_body(shared(MigrationRequestSchema))
    result = engine().migrate(_checked_key(key), body["to_version"], body.get("instance_ids"),
                              actor(), lang())
    return answer(shared(MigrationResultSchema), result)
