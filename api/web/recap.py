"""The monthly recap for the head of the agency: a page to pick the month,
its figures, and the PDF (to sign) and CSV downloads."""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _

from engine import monitoring_labels as labels

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required
from api.web.wita import to_wita

bp = Blueprint("web_recap", __name__)
errors.attach(bp)
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
BOM = "\ufeff"


def parse_month(text: str) -> date | None:
    """The first day of ``YYYY-MM``, or None."""
    match = MONTH.match(text or "")
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _previous_month() -> date:
    today = to_wita(engine().clock.now()).date().replace(day=1)
    return date(today.year - 1, 12, 1) if today.month == 1 else today.replace(month=today.month - 1)


@bp.get("/rekap")
@login_required
def recap():
    """Pick a month; see its figures and download them (managers and admins)."""
    text = request.args.get("bulan", "").strip()
    month = parse_month(text) if text else _previous_month()
    problems = {} if month else {"bulan": _("Bulan tidak valid; pilih bulan dengan format TTTT-BB.")}
    data = engine().monitoring.recap(month or _previous_month(), current_actor())
    key = data.month.strftime("%Y-%m")
    return render_template("web/recap.html", recap=data, key=key, value=text or key, problems=problems,
                           month_name=labels.month_name(key, page_lang()), labels=labels, lang=page_lang(),
                           order=("fulfilled", "schedule_full", "withdrawn", "expired", "rejected", "running")
                           ), 400 if problems else 200


def _month_or_404(key: str) -> date:
    month = parse_month(key)
    if month is None:
        abort(404)
    return month


@bp.get("/rekap/<key>.pdf")
@login_required
def recap_pdf(key: str):
    """The recap of month ``key`` as a PDF to sign."""
    pdf = engine().monitoring.recap_pdf(_month_or_404(key), current_actor())
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="rekap-layanan-zoom-{key}.pdf"', "Cache-Control": "no-store"})


@bp.get("/rekap/<key>.csv")
@login_required
def recap_csv(key: str):
    """The recap of month ``key`` as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    text = engine().monitoring.recap_csv(_month_or_404(key), current_actor(), page_lang())
    return Response(BOM + text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="rekap-layanan-zoom-{key}.csv"', "Cache-Control": "no-store"})
