"""The managers' dashboard: the SOP as a swimlane heatmap of requests
waiting now, time per step against its standard, SLA compliance per month,
requests per agency, outcomes. Charts are SVG drawn on the server."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from engine import monitoring_charts as charts
from engine import monitoring_labels as labels

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required

bp = Blueprint("web_dashboard", __name__)
errors.attach(bp)
OUTCOME_ORDER = ("fulfilled", "schedule_full", "withdrawn", "expired", "rejected", "running")


def lane_labels(steps=()) -> tuple:
    """The lanes of the board's steps with their page labels: the SOP's five
    lanes, or another process's lanes, in their steps' order, by their names."""
    sop = (("OPD", _("OPD pemohon")), ("Kadis", _("Kepala Dinas (Kadis)")), ("Kabid", _("Kepala Bidang (Kabid)")),
           ("Subkoordinator", _("Subkoordinator")), ("Staf", _("Staf pelaksana")))
    named = dict(sop)
    lanes = list(dict.fromkeys(step.lane for step in steps))
    if all(lane in named for lane in lanes):
        return sop
    return tuple((lane, named.get(lane, lane)) for lane in lanes)


def _heat_words(lang: str) -> dict:
    return {
        "title": _("Peta panas SOP: permohonan yang menunggu di setiap langkah"),
        "desc": _("Lima lajur SOP (OPD, Kadis, Kabid, Subkoordinator, Staf) dengan langkahnya. Setiap kotak "
                  "menyebut jumlah permohonan yang menunggu sekarang, median waktu kerja langkah itu selama "
                  "30 hari terakhir dan standar waktunya; warna lebih gelap berarti lebih banyak yang menunggu."),
        "waiting": _("menunggu sekarang"), "median": _("median"), "standard": _("standar"),
        "none": _("tanpa standar waktu"), "over": _("median melewati standar"),
        "legend": _("Menunggu:"),
        "overdue": lambda n: _("%(num)d lewat batas", num=n),
        "finished": lambda n: _("%(num)d selesai dalam 30 hari", num=n),
        "lane_total": lambda n: _("%(num)d menunggu", num=n),
        "time": lambda m: labels.office_time(m, lang),
        "std": lambda s: labels.standard(s, lang),
        "name": labels.short_step_name,
    }


def _step_label(step) -> str:
    return f"{step.id.split('_', 1)[0]} {labels.short_step_name(step.name)} ({labels.standard(step.standard, page_lang())})"


def _named(steps, lang: str) -> list:
    """The steps with their English names (the model's ``nameEn``) on English pages."""
    return [replace(s, name=s.name_en) if lang == "en" and s.name_en else s for s in steps]


def _charts(board, lang: str) -> dict:
    month = lambda key: labels.month_name(key, lang, short=True)  # noqa: E731
    steps = _named(board.steps, lang)
    timed = [(s.id, _step_label(s)) for s in steps if s.standard]
    names = {o: labels.outcome(o, lang) for o in OUTCOME_ORDER}
    words = _heat_words(lang)
    return {
        "heat_wide": charts.heatmap(steps, lane_labels(steps), words, columns=3, css_class="heatmap wide-only"),
        "heat_narrow": charts.heatmap(steps, lane_labels(steps), words, columns=1, css_class="heatmap narrow-only"),
        "compliance": charts.compliance(board.compliance, board.months, timed, {
            "title": _("Kepatuhan standar waktu per langkah dan bulan"),
            "desc": _("Untuk setiap langkah yang memiliki standar waktu: persentase permohonan yang selesai "
                      "dalam standar pada setiap bulan. Garis putus-putus: sasaran 90%."),
            "month": month, "note": _("Garis putus-putus: sasaran 90%. Batang jingga: di bawah sasaran."),
            "percent": lambda value: labels.percent(value, 0, lang),
            "bar": lambda m, row: _("%(month)s: %(within)d dari %(finished)d dalam standar",
                                    month=labels.month_name(m, lang), within=row.within, finished=row.finished)}),
        "agencies": charts.agency_grid(board.agencies, board.months, {
            "title": _("Permohonan per OPD per bulan"),
            "desc": _("Jumlah permohonan yang diterima dari setiap OPD pada setiap bulan, dengan jumlah enam bulan."),
            "month": month, "total": _("Jumlah"), "empty": _("Belum ada permohonan.")}),
        "outcomes": charts.outcome_months(board.outcomes, board.months, OUTCOME_ORDER, names, {
            "title": _("Hasil permohonan per bulan diterima"),
            "desc": _("Untuk setiap bulan: permohonan yang diterima menurut hasilnya (terpenuhi, jadwal penuh, "
                      "dibatalkan, kedaluwarsa, ditolak, masih berjalan)."), "month": month}),
    }


def _this_month_compliance(board) -> float | None:
    rows = [c for c in board.compliance if c.month == board.months[-1]]
    finished = sum(c.finished for c in rows)
    return 100.0 * sum(c.within for c in rows) / finished if finished else None


@bp.get("/dasbor")
@login_required
def dashboard():
    """The dashboard (managers and admins); ``?proses=<key>`` picks the process."""
    board = engine().monitoring.dashboard(current_actor(), request.args.get("proses") or None)
    lang = page_lang()
    return render_template("web/dashboard.html", board=board, charts=_charts(board, lang),
                           compliance_now=_this_month_compliance(board), percent=labels.percent, lang=lang,
                           month_now=labels.month_name(board.months[-1], lang))
