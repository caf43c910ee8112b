"""The managers' list of every request: filters, search, pages, CSV export."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _

from engine import InstanceFilters, Oversight

from api.context import engine
from api.web import errors
from api.web.csv_cells import csv_lines
from api.web.session import current_actor, login_required
from api.web.stages import OUTCOMES, STATUSES
from api.web.wita import long_datetime
from api.web.lang import page_lang

bp = Blueprint("web_oversight", __name__)
errors.attach(bp)
PER_PAGE = 25
FILTER_ARGS = ("status", "tahap", "opd", "menurut", "dari", "sampai", "terlambat", "hasil", "q")


def oversight() -> Oversight:
    """The managers' read side of the app's engine."""
    return Oversight(engine())


def _date(name: str, problems: dict) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems[name] = _("Tanggal tidak valid; gunakan format TTTT-BB-HH.")
        return None


def read_filters() -> tuple[InstanceFilters, dict]:
    """The filters in the query string, and the problems with them by field."""
    args, problems = request.args, {}
    status = args.get("status") or None
    if status and status not in STATUSES:
        problems["status"], status = _("Status tidak dikenal."), None
    outcome = args.get("hasil") or None
    if outcome and outcome not in OUTCOMES:
        problems["hasil"], outcome = _("Hasil tidak dikenal."), None
    date_from, date_to = _date("dari", problems), _date("sampai", problems)
    if date_from and date_to and date_to < date_from:
        problems["sampai"] = _("Tanggal akhir lebih awal dari tanggal mulai.")
    return InstanceFilters(
        status=status, stage=args.get("tahap") or None, agency=args.get("opd") or None,
        date_field="meeting" if args.get("menurut") == "rapat" else "submitted",
        date_from=date_from, date_to=date_to, overdue=args.get("terlambat") == "1",
        outcome=outcome, q=(args.get("q") or "").strip()[:200] or None), problems


def _kept_args() -> dict:
    return {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}


@bp.get("/pemantauan/permohonan")
@login_required
def listing():
    """Every request, filtered and searched, a page at a time (managers, admins)."""
    actor, watch = current_actor(), oversight()
    watch.require(actor)
    filters, problems = read_filters()
    number = max(request.args.get("halaman", 1, type=int) or 1, 1)
    result = watch.instances(actor, filters, number, PER_PAGE)
    kept = _kept_args()
    english = watch.english_names(actor) if page_lang() == "en" else {}
    return render_template(
        "web/oversight_list.html", page=result, filters=filters, problems=problems, args=kept,
        count_cap=Oversight.COUNT_CAP,
        stages=[(i, english.get(i, name), lane) for i, name, lane in watch.stages(actor)],
        step_name=lambda element_id, title: english.get(element_id, title),
        agencies=watch.agencies(actor), statuses=STATUSES,
        outcomes=OUTCOMES, csv_url=url_for("web_oversight.export", **kept),
        page_url=lambda n: url_for("web_oversight.listing", halaman=n, **kept)), \
        422 if problems else 200


def _stage_text(row) -> str:
    return "; ".join(title for _, title, _ in row.stages)


def _csv_row(row, lang: str) -> list:
    return [row.id, row.topic, row.letter_number, (row.agency or "").upper(),
            str(STATUSES.get(row.status, row.status)),
            str(OUTCOMES.get(row.outcome, row.outcome or "")), _stage_text(row),
            long_datetime(row.due_at, lang) if row.due_at else "", _("ya") if row.overdue else "",
            long_datetime(row.created_at, lang),
            long_datetime(row.meeting_start, lang) if row.meeting_start else "",
            long_datetime(row.updated_at, lang)]


@bp.get("/pemantauan/permohonan.csv")
@login_required
def export():
    """The filtered list (every page) as CSV for a spreadsheet."""
    actor, watch = current_actor(), oversight()
    filters, problems = read_filters()
    if problems:
        return errors.error_page(400, "; ".join(problems.values()))
    rows = watch.export(actor, filters)
    lang = page_lang()
    header = [_("ID"), _("Topik"), _("Nomor surat"), _("OPD"), _("Status"), _("Hasil"),
              _("Tahap sekarang"), _("Tenggat"), _("Lewat tenggat"), _("Diajukan"),
              _("Waktu rapat"), _("Diperbarui")]
    lines = csv_lines(header, (_csv_row(r, lang) for r in rows))
    return Response(stream_with_context(lines), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="permohonan-vicon.csv"',
        "Cache-Control": "no-store"})
