"""The meeting calendar per Zoom host account, by week or month, in WITA:
the bookings the schedule check of step 4 counts."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from api.context import engine
from api.web import errors
from api.web.lang import page_lang
from api.web.session import current_actor, login_required
from api.web.wita import WITA, to_wita

bp = Blueprint("web_meeting_calendar", __name__)
errors.attach(bp)
VIEWS = {"minggu": "week", "bulan": "month"}
DAYS = {"id": ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"), "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def _day(problems: dict) -> date:
    text = request.args.get("tanggal", "").strip()
    today = to_wita(engine().clock.now()).date()
    if not text:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems["tanggal"] = _("Tanggal tidak valid; gunakan format TTTT-BB-HH.")
        return today


def _cells(cal, today: date) -> list[dict]:
    """The days to draw: whole weeks from Monday, each with its entries."""
    first = cal.first_day - timedelta(days=cal.first_day.weekday())
    last = cal.last_day + timedelta(days=6 - cal.last_day.weekday())
    by_day: dict = {}
    for entry in cal.entries:
        by_day.setdefault(to_wita(entry.start).date(), []).append(entry)
    cells, day = [], first
    while day <= last:
        cells.append({"day": day, "entries": by_day.get(day, []), "today": day == today,
                      "inside": cal.first_day <= day <= cal.last_day})
        day += timedelta(days=1)
    return cells


def _link(view: str, day: date, host: str | None) -> str:
    values: dict[str, Any] = {"tampilan": view, "tanggal": day.isoformat()}
    if host:
        values["akun"] = host
    return url_for("web_meeting_calendar.calendar", **values)


@bp.get("/kalender-rapat")
@login_required
def calendar():
    """Bookings of one host account or all, week or month (managers and admins)."""
    problems = {}
    view_arg = request.args.get("tampilan", "minggu")
    if view_arg not in VIEWS:
        problems["tampilan"], view_arg = _("Tampilan tidak dikenal."), "minggu"
    day = _day(problems)
    host = request.args.get("akun") or None
    cal = engine().monitoring.meeting_calendar(current_actor(), VIEWS[view_arg], day, host)
    today = to_wita(engine().clock.now()).date()
    step = timedelta(days=7) if cal.view == "week" else None
    prev_day = cal.first_day - (step or timedelta(days=1))
    next_day = cal.last_day + timedelta(days=1)
    return render_template(
        "web/meeting_calendar.html", cal=cal, cells=_cells(cal, today), problems=problems, view_arg=view_arg,
        day=day, day_names=DAYS.get(page_lang(), DAYS["id"]), wita=WITA,
        prev_url=_link(view_arg, prev_day, cal.host_id), next_url=_link(view_arg, next_day, cal.host_id),
        today_url=_link(view_arg, today, cal.host_id),
        other_view_url=_link("bulan" if view_arg == "minggu" else "minggu", day, cal.host_id),
        host_names=dict(cal.hosts)), 200 if not problems else 400
