"""One request as managers see it: the process diagram of the version it runs
with completed, current and failed steps marked, the timed audit trail against
the SOP's time standards, its letters and its meeting."""
from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _

from engine import duration_words

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.oversight_list import oversight
from api.web.session import current_actor, login_required
from api.web.stages import stage_words
from api.web.timeline import EVENT_WORDS

bp = Blueprint("web_oversight_instance", __name__)
errors.attach(bp)
UPLOAD_KEYS = {"upload", "sha256", "chars"}


def data_items(data, prefix: str = "") -> list[tuple[str, str]]:
    """An event's data as (field, text) pairs; an uploaded file shows as its
    hash and size (the audit trail never holds the file itself)."""
    items: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return items
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and UPLOAD_KEYS <= set(value):
            size = int(value["chars"]) * 3 // 4
            kind = value["upload"].split(";")[0]
            items.append((name, _("berkas %(kind)s, SHA-256 %(hash)s, %(size)s bita",
                                  kind=kind, hash=value["sha256"], size=size)))
        elif isinstance(value, dict):
            items.extend(data_items(value, f"{name}."))
        elif isinstance(value, list):
            items.append((name, ", ".join(str(v) for v in value)))
        elif value is not None and str(value) != "":
            items.append((name, str(value)))
    return items


def event_words(entry) -> str:
    """What happened, in words."""
    if entry.type == "task_completed" and entry.task_name:
        return entry.task_name  # the step's name in the instance's model
    data = entry.data if isinstance(entry.data, dict) else {}
    if entry.type == "service_failed" and data.get("error_code"):
        return _("Layanan otomatis tidak berhasil, proses beralih ke jalur cadangan: %(task)s",
                 task=entry.task_name or entry.task)
    if entry.type == "service_failed" and data.get("incident"):
        return _("Layanan otomatis gagal dan menjadi insiden: %(task)s",
                 task=entry.task_name or entry.task)
    if entry.type in EVENT_WORDS:
        words = str(EVENT_WORDS[entry.type])
        if entry.task_name and entry.type.startswith("service"):
            return f"{words}: {entry.task_name}"
        return words
    return entry.task_name or entry.type.replace("_", " ").capitalize()


def working(delta) -> str:
    """Office time as ``3 j 20 mnt`` (``3 h 20 min``)."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)s j %(minutes)s mnt", hours=hours, minutes=minutes)
    return _("%(minutes)s mnt", minutes=minutes)


def standard_words(duration: str | None) -> str:
    """An ISO 8601 working-time standard in words (the engine's one wording)."""
    return duration_words(duration, page_lang()) if duration else ""


@bp.get("/pemantauan/permohonan/<uuid:instance_id>")
@login_required
def detail(instance_id):
    """The request's diagram with its state, its timed audit trail, letters and meeting."""
    watched = oversight().instance(current_actor(), str(instance_id))
    diagram = watched.diagram
    state = {"bpmn": diagram.bpmn, "completed": diagram.completed, "current": diagram.current,
             "failed": diagram.failed}
    return render_template("web/oversight_instance.html", watched=watched, view=watched.view,
                           stage=stage_words(watched.view.summary, watched.view.tasks), state=state,
                           event_words=event_words, data_items=data_items, working=working,
                           standard_words=standard_words)


@bp.get("/pemantauan/permohonan/<uuid:instance_id>/lembar-disposisi.pdf")
@login_required
def disposition_sheet(instance_id):
    """The request's disposition sheet as a PDF (managers, admins)."""
    actor = current_actor()
    oversight().require(actor)
    pdf = engine().letters.disposition_pdf(str(instance_id), actor)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'inline; filename="lembar-disposisi.pdf"',
        "Cache-Control": "no-store"})
