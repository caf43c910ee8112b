"""The task page: what the request is about, what was decided so far, and the
task's form; completing it."""
from __future__ import annotations

import uuid

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import Conflict, InvalidData, NotFound, TaskDetailView, long_datetime, to_wita

from api.context import engine
from api.web import errors
from api.web.choices import choice_names
from api.web.form_fields import fields, form_title, read
from api.web.lang import page_lang
from api.web.session import current_actor, is_agency, login_required
from api.web.requests import scan_link
from api.web.stages import stage_words
from api.web.timeline import behalf_by_step, step_title

bp = Blueprint("web_tasks", __name__)
errors.attach(bp)
DRAFT_KIND = "letter_draft"  # the step whose typed letter can be previewed (``stepKind`` in the model)
OTHER_LANE = _l("Tugas ini dikerjakan oleh peran lain; lihat permohonannya untuk mengikuti tahapannya.")
NOT_OFFERED = _l("Waktu ini tidak termasuk waktu yang ditawarkan; pilih salah satu yang tercantum atau isi formulir.")
HOST_FIELD = "host_email"  # the manual meeting form's host account (the forms' contract)
START_FIELD = "start_at"  # the start time a schedule-full task proposes again (the forms' contract)
DECISION, APPROVE = "decision", "approve"  # the review forms' decision and its stored value (the forms' contract)
SIGN = "sign"  # what the Kadis's task does with the letter (``task_letter``'s action)
SIGN_TEMPLATE = "web/task_sign.html"  # the confirmation before signing
CONFIRM, CONFIRMED = "confirm", "yes"  # the confirmation form's field: without it nothing is signed
PASSPHRASE = "passphrase"  # the signer's BSrE passphrase (``bsre``): used for that signature, never kept


def _prefill(detail) -> dict:
    """The stored request for a form that asks it again; never a start time the
    schedule found full (sending it unchanged would only bring the task back)."""
    if (detail.form and detail.form.schema.get("x-vicon-prefill") == "request"):
        full = _full(detail)
        return {k: v for k, v in detail.context.get("request", {}).items()
                if k != "letter_file" and not (full and k == START_FIELD)}
    booked = (detail.context.get("schedule") or {}).get("host_email")
    if detail.form and booked and HOST_FIELD in detail.form.schema.get("properties", {}):
        return {HOST_FIELD: booked}  # the manual meeting task: the account the schedule check booked
    return {}


def _full(detail) -> bool:
    """The schedule check found the requested time full and the form proposes another."""
    schedule = detail.context.get("schedule") or {}
    return schedule.get("status") == "full" and bool(detail.form) and \
        START_FIELD in detail.form.schema.get("properties", {})


def _asked(detail, every: list) -> list:
    """The fields the page asks. Schedule full asks only the choice, the new time and the
    note: the request's own fields keep their stored values (the engine fills what a
    prefilled form leaves out), so they are neither shown nor sent."""
    if not _full(detail):
        return every
    source = detail.form.schema.get("x-vicon-prefill")
    start_form = detail.forms.get(source)
    stored = set(start_form.schema.get("properties", {})) if start_form else set(detail.context.get(source) or {})
    return [f for f in every if f.name == START_FIELD or f.name not in stored]


def _alternatives(detail) -> list[tuple[str, str]]:
    """(value, words) of the free times the schedule check offered, as one-click choices."""
    if not _full(detail):
        return []
    return [(moment, long_datetime(to_wita(moment), page_lang()))
            for moment in (detail.context.get("schedule") or {}).get("alternatives") or [] if to_wita(moment)]


def _page(detail, values: dict, problems: dict, status: int = 200, template: str | None = None):
    """The task's page; a task about a letter (review, signature, receipt) shows the letter itself."""
    form = detail.form
    letter = engine().letters.task_letter(detail.task.id, current_actor())
    template = template or ("web/task_letter.html" if letter is not None else "web/task.html")
    return render_template(template, detail=detail, task=detail.task, context=detail.context, letter=letter,
                           fields=_asked(detail, fields(form.schema, form.ui_schema, page_lang())) if form else [],
                           form_title=form_title(form.schema, page_lang()) if form else "",
                           scan_url=scan_link(current_actor(), detail.task.instance_id,
                                              detail.context.get("request") or {}),
                           acting=detail.task.acting_position,
                           behalf=_behalf(detail), choices=choice_names(detail.forms, page_lang()),
                           passphrase_signing=engine().passphrase_signing,
                           alternatives=_alternatives(detail), values=values, problems=problems), status


def _behalf(detail) -> dict:
    """The "a.n." words of the dispositions an acting official made (staff pages only)."""
    actor = current_actor()
    if actor.has("opd") or not detail.context.get("dispositions"):
        return {}
    events = engine().events(detail.task.instance_id, actor)
    positions = engine().delegations.positions(e.on_behalf_of for e in events if e.on_behalf_of)
    return behalf_by_step(events, positions, detail.steps)


@bp.get("/tugas/<uuid:task_id>")
@login_required
def task(task_id):
    """The task with its request summary, dispositions and form."""
    try:
        detail = engine().get_task(str(task_id), current_actor())
    except Conflict as exc:
        return _gone(exc, sent=False)
    if not detail.task.can_complete:
        return errors.error_page(403, OTHER_LANE)
    return _page(detail, _prefill(detail), {})


@bp.post("/tugas/<uuid:task_id>")
@login_required
def complete(task_id):
    """Complete the task; invalid input comes back with what was typed and the messages."""
    actor = current_actor()
    try:
        detail = engine().get_task(str(task_id), actor)
    except Conflict as exc:  # someone completed it first; the form says which request it was
        return _gone(exc, _uuid(request.form.get("instance_id")))
    if not detail.task.can_complete:
        return errors.error_page(403, OTHER_LANE)
    data, problems = read(detail.form.schema, detail.form.ui_schema, request.form, request.files, page_lang())
    if problems:
        return _page(detail, data, problems, 422)
    if data.get(DECISION) == APPROVE and _signs(detail):  # nothing is signed before the Kadis confirms
        return _page(detail, data, {}, template=SIGN_TEMPLATE)
    return _complete(detail, data)


def _complete(detail, data: dict, template: str | None = None, passphrase: str | None = None):
    """Complete the task with ``data``: the next page, or this one again with what went wrong
    (a refused signature: its sentence, 502 when the signing service is down)."""
    actor = current_actor()
    try:
        view = engine().complete_task(detail.task.id, data, actor, page_lang(), passphrase=passphrase)
    except InvalidData as exc:
        return _page(detail, data, exc.errors, 502 if getattr(exc, "unavailable", False) else 422, template)
    except Conflict as exc:
        document = engine().letters.task_document(detail.task.id, actor)
        if document is not None and document.state != "ready":  # the review waits for its konsep
            return _page(detail, data, {}, 409, template)
        return _gone(exc, detail.task.instance_id)
    return _done(detail, view)


def _signs(detail) -> bool:
    """The task is the Kadis's signature of the letter."""
    letter = engine().letters.task_letter(detail.task.id, current_actor())
    return letter is not None and letter.action == SIGN


@bp.get("/tugas/<uuid:task_id>/tandatangani")
@login_required
def sign_confirmation(task_id):
    """The Kadis's last look at the letter before signing it."""
    detail = _signing_task(task_id)
    if not isinstance(detail, TaskDetailView):
        return detail
    return _page(detail, {DECISION: APPROVE}, {}, template=SIGN_TEMPLATE)


@bp.post("/tugas/<uuid:task_id>/tandatangani")
@login_required
def sign(task_id):
    """Sign the letter, only as the confirmation form sends it (``confirm``); any other
    post shows the confirmation and signs nothing."""
    detail = _signing_task(task_id)
    if not isinstance(detail, TaskDetailView):
        return detail
    data, problems = read(detail.form.schema, detail.form.ui_schema, request.form, request.files, page_lang())
    data[DECISION] = APPROVE
    if problems or request.form.get(CONFIRM) != CONFIRMED:
        return _page(detail, data, problems, 422 if problems else 200, SIGN_TEMPLATE)
    return _complete(detail, data, SIGN_TEMPLATE, request.form.get(PASSPHRASE))


def _signing_task(task_id):
    """The ready signature task the caller works, or the page saying why not."""
    try:
        detail = engine().get_task(str(task_id), current_actor())
    except Conflict as exc:
        return _gone(exc, _uuid(request.form.get("instance_id")), sent=request.method == "POST")
    if not detail.task.can_complete:
        return errors.error_page(403, OTHER_LANE)
    if not _signs(detail):
        return redirect(url_for("web_tasks.task", task_id=detail.task.id))
    return detail


@bp.get("/tugas/<uuid:task_id>/surat/<int:document_id>/halaman-<int:page>.png")
@login_required
def letter_page(task_id, document_id: int, page: int):
    """One page of the letter a task is about, as the worker made it (never laid out here)."""
    png = engine().letters.task_letter_page(str(task_id), document_id, page, current_actor())
    return Response(png, mimetype="image/png", headers={
        "Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"})


def _done(detail, view):
    """Say the task is done and open the same request's next step for the same
    person straight away (Staf: T05 -> T06), else the inbox (an agency: the request)."""
    flash(_("Tugas \u201c%(task)s\u201d selesai. Tahap sekarang: %(stage)s.", task=step_title(detail.task.title, detail.task.title_en),
            stage=stage_words(view.summary, view.tasks)))
    following = next((t for t in view.tasks if t.can_complete), None)
    if following is not None:
        return redirect(url_for("web_tasks.task", task_id=following.id))
    if is_agency(current_actor()):
        return redirect(url_for("web_requests.detail", instance_id=detail.task.instance_id))
    return redirect(url_for("web_inbox.inbox"))


@bp.post("/tugas/<uuid:task_id>/pilih-waktu")
@login_required
def choose_time(task_id):
    """One click on a free time the schedule check offered: the stored request
    with that start time, checked again (the form's defaults fill the rest)."""
    actor = current_actor()
    try:
        detail = engine().get_task(str(task_id), actor)
    except Conflict as exc:
        return _gone(exc, _uuid(request.form.get("instance_id")))
    if not detail.task.can_complete:
        return errors.error_page(403, OTHER_LANE)
    chosen = request.form.get(START_FIELD, "")
    if chosen not in {moment for moment, _words in _alternatives(detail)}:
        return _page(detail, _prefill(detail), {START_FIELD: [str(NOT_OFFERED)]}, 422)
    data = {**_prefill(detail), START_FIELD: chosen}
    try:
        view = engine().complete_task(str(task_id), data, actor, page_lang())
    except InvalidData as exc:
        return _page(detail, data, exc.errors, 422)
    except Conflict as exc:
        return _gone(exc, detail.task.instance_id)
    return _done(detail, view)


@bp.post("/tugas/<uuid:task_id>/pratinjau")
@login_required
def preview(task_id):
    """The draft letter as it would read with the typed (not yet sent) data: a
    live preview for the Subkoordinator; nothing is stored."""
    actor = current_actor()
    try:
        detail = engine().get_task(str(task_id), actor)
    except Conflict as exc:
        return _gone(exc, _uuid(request.form.get("instance_id")))
    if not detail.task.can_complete or detail.task.kind != DRAFT_KIND:
        return errors.error_page(403, OTHER_LANE)
    data, problems = read(detail.form.schema, detail.form.ui_schema, request.form, request.files, page_lang())
    if problems:
        return _page(detail, data, problems, 422)
    try:
        pdf = engine().letters.draft_pdf(detail.task.instance_id, actor, data, page_lang())
    except InvalidData as exc:
        return _page(detail, data, exc.errors, 422)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="pratinjau-surat-tanggapan.pdf"', "Cache-Control": "no-store"})


def _uuid(text: str | None) -> str | None:
    try:
        return str(uuid.UUID(text or ""))
    except ValueError:
        return None


def _gone(exc: Conflict, instance_id: str | None = None, sent: bool = True):
    """A task completed already: when the caller was sending it, someone else was
    first; when only opening it, there is nothing left to do. Shows where the
    request stands."""
    try:
        instance = engine().get_instance(instance_id, current_actor()) if instance_id else None
    except NotFound:
        instance = None
    return render_template("web/task_gone.html", detail=exc.message(page_lang()), instance=instance, sent=sent,
                           stage=stage_words(instance.summary, instance.tasks) if instance else None), 409
