"""One request as managers see it: the process diagram of the version it runs
with completed, current and failed steps marked, the timed audit trail against
the SOP's time standards, its letters and its meeting."""
from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _

from engine import duration_words

from api.context import engine
from api.web import errors
from api.web.audit_trail import trail
from api.web.choices import choice_names
from api.web.lang import page_lang
from api.web.oversight_list import oversight
from api.web.session import current_actor, login_required
from api.web.stages import stage_words
from api.web.timeline import step_title

bp = Blueprint("web_oversight_instance", __name__)
errors.attach(bp)


def working(delta) -> str:
    """Office time as ``3 j 20 mnt`` (``3 h 20 min``)."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)s j %(minutes)s mnt", hours=hours, minutes=minutes)
    return _("%(minutes)s mnt", minutes=minutes)


def open_title(step, steps: dict) -> str:
    """A waiting step's name in the page's language (the model's ``nameEn`` in English)."""
    known = steps.get(step.element_id)
    return step_title(known.title, known.title_en) if known else step.title


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
    people = {u for e in watched.timeline for u in (e.actor, e.on_behalf_of) if u}
    positions = engine().delegations.positions(people)
    events = trail(watched.timeline, watched.view.steps, watched.forms, positions)
    return render_template("web/oversight_instance.html", watched=watched, view=watched.view,
                           stage=stage_words(watched.view.summary, watched.view.tasks), state=state,
                           events=events, working=working,
                           choices=choice_names(watched.view.forms, page_lang()), standard_words=standard_words,
                           open_title=open_title)


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
