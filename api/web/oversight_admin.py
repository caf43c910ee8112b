"""Incidents (failed service tasks, retried by an admin; managers read them)
and the verification of the audit trail's hash chains."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import Conflict, NotFound

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.oversight_list import oversight
from api.web.session import current_actor, login_required

bp = Blueprint("web_oversight_admin", __name__)
errors.attach(bp)
PAGE_BUDGET_SECONDS = 10.0  # a page checks this long, then offers to go on from there


@bp.get("/pemantauan/insiden")
@login_required
def incidents():
    """Failed service tasks with their error and request (admins retry them)."""
    actor = current_actor()
    english = oversight().english_names(actor) if page_lang() == "en" else {}
    return render_template("web/incidents.html", incidents=oversight().incidents(actor),
                           can_retry=actor.has("admin"), english=english)


@bp.post("/pemantauan/insiden/<int(max=2147483647):job_id>/ulangi")
@login_required
def retry(job_id: int):
    """Put an incident back in the worker's queue (admin)."""
    try:
        job = engine().retry_job(job_id, current_actor())
    except (Conflict, NotFound) as exc:
        flash(_("Insiden tidak diulang: %(reason)s", reason=exc.message(page_lang())))
    else:
        flash(_("Layanan %(operator)s dijadwalkan ulang; pekerja akan mencobanya lagi.",
                operator=job.operator))
    return redirect(url_for("web_oversight_admin.incidents"))


@bp.get("/pemantauan/audit")
@login_required
def verify_audit():
    """Verify the hash chains of every request's audit trail (or of one, ``?permohonan=ID``)."""
    actor, watch = current_actor(), oversight()
    watch.require(actor)
    instance_id = (request.args.get("permohonan") or "").strip() or None
    if instance_id is None and request.args.get("periksa") != "1":
        return render_template("web/audit_verify.html", check=None, instance_id=None)
    after = (request.args.get("setelah") or "").strip() or None
    check = watch.verify(actor, instance_id, after, PAGE_BUDGET_SECONDS)
    page = render_template("web/audit_verify.html", check=check, instance_id=instance_id,
                           after=after)
    return page, 200 if check.ok else 409
