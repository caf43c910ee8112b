"""The public tracking page of a request (no sign-in): its stage and timeline
in plain words and, once fulfilled, how to join and the response letter.

The token in the address is the only key, so these answers are never
indexed, never sent on as a referrer, never cached, and a visitor trying
tokens is slowed down like a failed sign-in."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from engine import NotFound

from api.context import engine
from api.throttle import LoginThrottle
from api.web import errors
from api.web.stages import stage_words
from api.web.timeline import EVENT_WORDS, step_title

bp = Blueprint("web_tracking", __name__)
errors.attach(bp)
EXTENSION = "vicon.tracking_throttle"
MISSES = 20  # unknown tokens per address per 15 minutes
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow",
                   "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@bp.after_request
def _private(response):
    response.headers.update(PRIVATE_HEADERS)
    return response


def _throttle() -> LoginThrottle:
    return current_app.extensions.setdefault(EXTENSION, LoginThrottle(limit=MISSES))


def _lookup(read):
    """``read()``'s answer, counting unknown tokens per client address."""
    key, now = request.remote_addr or "", engine().clock.now()
    if _throttle().blocked(key, now):
        return None, errors.error_page(429, _("Terlalu banyak tautan pelacakan yang salah. Coba lagi dalam 15 menit."))
    try:
        return read(), None
    except NotFound:
        _throttle().failed(key, now)
        return None, errors.error_page(404, _("Tautan pelacakan ini tidak dikenal. Periksa kembali tautan "
                                              "yang Anda terima dari OPD atau Diskominfo."))


def _steps(view) -> list[dict]:
    steps = []
    for at, type_, task, _lane in view.events:
        if type_ == "task_completed":
            words = step_title(*view.step_titles[task]) if task in view.step_titles else None
        else:
            words = EVENT_WORDS.get(type_)
        if words:
            steps.append({"at": at, "words": str(words)})
    return steps


@bp.get("/lacak/<token>")
def track(token: str):
    """Where the request stands, for whoever holds the link."""
    view, refused = _lookup(lambda: engine().tracking.view(token))
    if refused:
        return refused
    return render_template("web/tracking.html", view=view, token=token, stage=stage_words(view, view.tasks),
                           steps=_steps(view))


@bp.get("/lacak/<token>/surat/<int:letter_id>.pdf")
def letter(token: str, letter_id: int):
    """The response letter, through the tracking link."""
    pdf, refused = _lookup(lambda: engine().tracking.letter_pdf(token, letter_id))
    if refused:
        return refused
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="surat-tanggapan-{letter_id}.pdf"'})
