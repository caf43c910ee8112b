"""A requesting agency's pages: a new request, its requests, one request with
its timeline and letters, withdrawing it. Staff see every request."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict, InvalidData

from api.context import engine
from api.links import public_url
from api.web import errors
from api.web.choices import choice_names
from api.web.form_fields import fields, form_title, read
from api.web.lang import page_lang
from api.web.session import current_actor, login_required
from api.web.stages import stage_words
from api.web.timeline import behalf_by_step, timeline

bp = Blueprint("web_requests", __name__)
errors.attach(bp)
REGISTRAR = "staf"  # the Kadis's secretariat registers paper letters for agencies
SCAN_READERS = frozenset({"kadis", "kabid", "subkoordinator", "staf", "manager"})


def startable() -> list:
    """The deployed processes a request starts: the newest version of every
    process whose start event has a form, by key."""
    return [d for d in engine().process_definitions(current_actor()) if d.start_form is not None]


def _chosen(definitions: list):
    """The process ``?proses=`` names, or the only one there is; None when the
    agency has to choose (several deployed) or the key is unknown."""
    key = request.args.get("proses", "")
    if key:
        return next((d for d in definitions if d.key == key), None)
    return definitions[0] if len(definitions) == 1 else None


def _new_page(definition, values, problems, status=200):
    registering = _registers(current_actor())
    form = definition.start_form
    return render_template("web/request_new.html", fields=fields(form.schema, form.ui_schema, page_lang()),
                           definition=definition, title=form_title(form.schema, page_lang()),
                           values=values, problems=problems,
                           agencies=engine().request_files.agencies() if registering else None,
                           agency=request.form.get("agency", "")), status


def _registers(actor) -> bool:
    """True for the secretariat registering on behalf of an agency (not an agency itself)."""
    return actor.has(REGISTRAR) and not actor.has("opd")


@bp.route("/permohonan/baru", methods=["GET", "POST"])
@login_required
def new_request():
    """The start form of the deployed process (agencies, and the secretariat for an
    agency it picks); with several deployed, ``?proses=<key>`` says which, and
    without it the page lists them. The scanned letter is checked by content."""
    actor = current_actor()
    definitions = startable()
    if not (actor.has("opd") or _registers(actor)) or not definitions:
        return errors.error_page(403, _("Hanya akun OPD yang dapat mengajukan permohonan."))
    definition = _chosen(definitions)
    if definition is None and request.args.get("proses"):
        return errors.error_page(404, _("Proses ini tidak dipasang."))
    if definition is None:
        return render_template("web/request_choose.html", definitions=definitions)
    if request.method == "GET":
        return _new_page(definition, {}, {})
    form = definition.start_form
    data, problems = read(form.schema, form.ui_schema, request.form, request.files, page_lang())
    if problems:
        return _new_page(definition, data, problems, 422)
    try:
        if _registers(actor):
            view = engine().request_files.register(definition.key, data, actor, request.form.get("agency", ""),
                                                   page_lang())
        else:
            view = engine().start(definition.key, data, actor, page_lang())
    except InvalidData as exc:
        return _new_page(definition, data, exc.errors, 422)
    flash(_("Permohonan terkirim. Tahap sekarang: %(stage)s.", stage=stage_words(view.summary)))
    return redirect(url_for("web_requests.detail", instance_id=view.summary.id))


@bp.get("/permohonan")
@login_required
def listing():
    """The requests the caller may see, newest first, with their stage."""
    page = max(request.args.get("halaman", 1, type=int) or 1, 1)
    result = engine().list_instances(current_actor(), page=page, per_page=20)
    rows = [(item, stage_words(item)) for item in result.items]
    return render_template("web/requests.html", rows=rows, page=result)


@bp.get("/permohonan/<uuid:instance_id>")
@login_required
def detail(instance_id):
    """One request: stage, data, meeting (when visible), letters, timeline, and
    for the agency (and the secretariat) its public tracking link."""
    actor = current_actor()
    view = engine().get_instance(str(instance_id), actor)
    events = engine().events(str(instance_id), actor)
    positions = engine().delegations.positions(e.on_behalf_of for e in events if e.on_behalf_of)
    tracking = None
    if actor.has("opd") or actor.has(REGISTRAR):
        token = engine().tracking.token_for(str(instance_id), actor)
        tracking = public_url("web_tracking.track", token=token)
    choices = choice_names(view.forms, page_lang())
    return render_template("web/request.html", view=view, stage=stage_words(view.summary), choices=choices,
                           timeline=timeline(events, not actor.has("opd"), positions, view.steps, choices),
                           tracking_url=tracking, behalf=behalf_by_step(events, positions, view.steps),
                           scan_url=scan_link(actor, view.summary.id, view.request),
                           can_withdraw=actor.has("opd") and view.summary.status == "running")


def scan_link(actor, instance_id: str, request_data: dict) -> str | None:
    """The address of the request's scanned letter, when there is one and the
    actor may open it (the lanes' officials, managers, the agency)."""
    if not isinstance(request_data.get("letter_file"), dict):
        return None
    if actor.has("opd") or actor.roles & SCAN_READERS or actor.acting_for:
        return url_for("web_requests.scan", instance_id=instance_id)
    return None


@bp.get("/permohonan/<uuid:instance_id>/pindaian.pdf")
@login_required
def scan(instance_id):
    """The scanned request letter the agency (or the secretariat) uploaded."""
    pdf = engine().request_files.scan(str(instance_id), current_actor())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="surat-permohonan.pdf"', "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


@bp.post("/permohonan/<uuid:instance_id>/tarik")
@login_required
def withdraw(instance_id):
    """The agency withdraws its request (a reason is required)."""
    reason = request.form.get("reason", "").strip()
    try:
        engine().withdraw(str(instance_id), current_actor(), reason, page_lang())
    except InvalidData as exc:
        flash(_("Permohonan tidak ditarik: %(reason)s",
                reason="; ".join(m for ms in exc.errors.values() for m in ms)))
    except Conflict as exc:
        flash(_("Permohonan tidak dapat ditarik lagi: %(reason)s", reason=exc.message(page_lang())))
    else:
        flash(_("Permohonan telah ditarik."))
    return redirect(url_for("web_requests.detail", instance_id=instance_id))


@bp.get("/permohonan/<uuid:instance_id>/konsep.pdf")
@login_required
def draft(instance_id):
    """The current draft of the response letter as a konsep PDF (staff)."""
    pdf = engine().letters.draft_pdf(str(instance_id), current_actor())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="konsep-surat-tanggapan.pdf"',
        "Cache-Control": "no-store"})


@bp.get("/permohonan/<uuid:instance_id>/surat/<int:letter_id>.pdf")
@login_required
def letter(instance_id, letter_id):
    """A letter sent to the agency, as a PDF download."""
    pdf = engine().letters.sent_pdf(str(instance_id), letter_id, current_actor())
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="surat-{letter_id}.pdf"'})
