"""The analysts' pages for process versions: the processes with an upload form
(check or deploy a .bpmn with its forms), each process's versions (who deployed
what when, the changes, running requests, a link to the modeler) and moving
running requests to another version (dry run, choose, migrate). Analysts and
admins only: the engine refuses everyone else."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from werkzeug.exceptions import RequestEntityTooLarge

from engine import DeployError, Forbidden, Problem

from api.context import engine
from api.resources.process_versions import uploaded_files
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

TOO_LARGE = Problem(None, "Kiriman terlalu besar: berkas BPMN paling besar 2 MB, formulir "
                          "paling besar 256 KB per berkas.",
                    "The upload is too large: a BPMN file may be 2 MB at most, a form 256 KB.")

bp = Blueprint("web_versions", __name__)
errors.attach(bp)
FIELD_LABELS = {"type": _l("jenis"), "name": _l("nama"), "lane": _l("lajur"),
                "form": _l("formulir"), "operator": _l("operator layanan"),
                "time_standard": _l("standar waktu"), "timer": _l("timer"), "flows": _l("alur")}


@bp.app_template_filter("element_fields")
def element_fields(names) -> str:
    """The changed fields of an element, in the page language."""
    return ", ".join(str(FIELD_LABELS.get(n, n)) for n in names)


def _require_analyst() -> None:
    actor = current_actor()
    if not (actor.has("analyst") or actor.has("admin")):
        raise Forbidden("analysts and admins only", "hanya analis dan admin")


def _processes_page(problems=None, checked=False, status=200):
    return render_template("web/processes.html", processes=engine().processes(current_actor()),
                           problems=problems, checked=checked, lang=page_lang()), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc):
    """An upload over the body limit (found by the CSRF check or here): the upload page says so."""
    actor = current_actor()
    if request.endpoint != "web_versions.upload" or actor is None or \
            not (actor.has("analyst") or actor.has("admin")):
        return errors.error_page(413, TOO_LARGE.message(page_lang()))
    return _processes_page([TOO_LARGE], status=413)


@bp.get("/proses")
@login_required
def processes():
    """Every process with its newest version, and the upload form."""
    return _processes_page()


@bp.post("/proses")
@login_required
def upload():
    """Check (``aksi=periksa``) or deploy (``aksi=terapkan``) an uploaded .bpmn and its forms."""
    _require_analyst()
    bpmn, forms = uploaded_files()
    if request.form.get("aksi") == "periksa":
        problems = engine().validate(bpmn, forms)
        return _processes_page(problems, checked=True, status=200 if not problems else 422)
    try:
        deployed = engine().deploy(bpmn, forms, current_actor())
    except DeployError as exc:
        return _processes_page(exc.problems, status=422)
    if deployed.created:
        flash(_("Versi %(version)s dari %(key)s diterapkan. Permohonan baru memakai versi ini.",
                version=deployed.version, key=deployed.key))
    else:
        flash(_("Isinya sama dengan versi %(version)s yang sudah ada; tidak ada versi baru.",
                version=deployed.version))
    return redirect(url_for("web_versions.versions", key=deployed.key))


@bp.get("/proses/<key>/versi")
@login_required
def versions(key: str):
    """Who deployed what when, the changes against the previous version, running requests."""
    return render_template("web/versions.html", key=key,
                           versions=engine().process_versions(key, current_actor()))


@bp.get("/proses/<key>/versi/<int:version>.bpmn")
@login_required
def download(key: str, version: int):
    """The stored BPMN XML of a version, as a download."""
    data = engine().version_bpmn(key, version, current_actor())
    return Response(data, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{key}-v{version}.bpmn"',
        "X-Content-Type-Options": "nosniff"})


def _target() -> int | None:
    value = (request.values.get("ke") or "").strip()
    return int(value) if value.isdigit() else None


def _migration_page(key: str, target: int | None, result=None, status=200):
    actor = current_actor()
    versions = engine().process_versions(key, actor)
    checks = engine().migration_dry_run(key, target, None, actor, page_lang()) if target else []
    return render_template("web/migration.html", key=key, versions=versions, target=target,
                           checks=checks, result=result), status


@bp.get("/proses/<key>/migrasi")
@login_required
def migration(key: str):
    """Choose the target version (``?ke=N``) and see, per running request, whether it can move."""
    return _migration_page(key, _target())


@bp.post("/proses/<key>/migrasi")
@login_required
def migrate(key: str):
    """Move the ticked requests; the page shows what moved and what was refused."""
    target = _target()
    chosen = request.form.getlist("permohonan")
    if target is None or not chosen:
        flash(_("Pilih versi tujuan dan sedikitnya satu permohonan."))
        return redirect(url_for("web_versions.migration", key=key, ke=target) if target
                        else url_for("web_versions.migration", key=key))
    result = engine().migrate(key, target, chosen, current_actor(), page_lang())
    return _migration_page(key, target, result)
