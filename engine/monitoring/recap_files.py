"""The monthly recap as CSV (sections a spreadsheet opens) and as a PDF on
the agency's letterhead, ready for the head of the agency to sign."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import datetime
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from engine.calendar.dates import WITA, date_and_time, long_date
from engine.letters.config import PAPER_SIZES, TEMPLATES_DIR as LETTER_TEMPLATES
from engine.letters.content import letterhead, signer
from engine.letters.press import _render_lock, _weasyprint, flags
from engine.letters.verification import Issue
from engine.monitoring import charts, labels
from engine.monitoring.recap import OUTCOME_ORDER
from engine.monitoring.dashboard_views import Recap

TEMPLATES = Path(__file__).resolve().parent / "templates"

HEADERS = {
    "summary": (("Bagian", "Ukuran", "Nilai"), ("Section", "Measure", "Value")),
    "agencies": (("Bagian", "Kode OPD", "OPD", "Diterima") + tuple(labels.OUTCOMES[o][0] for o in OUTCOME_ORDER),
                 ("Section", "Agency code", "Agency", "Received") + tuple(labels.OUTCOMES[o][1] for o in OUTCOME_ORDER)),
    "steps": (("Bagian", "Langkah", "Nama langkah", "Lajur", "Standar", "Selesai", "Melewati standar",
               "Kepatuhan (%)", "Median waktu kerja (menit)"),
              ("Section", "Step", "Step name", "Lane", "Standard", "Finished", "Over the standard",
               "Compliance (%)", "Median office time (minutes)")),
    "breaches": (("Bagian", "Permohonan", "Nomor surat", "Topik", "OPD", "Langkah", "Lajur", "Standar",
                  "Mulai (WITA)", "Selesai (WITA)", "Batas (WITA)", "Terlambat (menit kerja)",
                  "Ditangani oleh", "Eskalasi", "Insiden layanan"),
                 ("Section", "Request", "Letter number", "Topic", "Agency", "Step", "Lane", "Standard",
                  "Started (WITA)", "Ended (WITA)", "Due (WITA)", "Late (office minutes)",
                  "Held by", "Escalations", "Service incidents")),
}
SECTIONS = {"summary": ("ringkasan", "summary"), "agencies": ("per_opd", "per_agency"),
            "steps": ("kepatuhan_langkah", "step_compliance"), "breaches": ("pelanggaran", "breaches")}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _SafeWriter:
    """A csv writer whose text cells a spreadsheet never runs as a formula
    (topics are typed by agencies)."""

    def __init__(self, out):
        self.writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self.writer.writerow(["'" + c if isinstance(c, str) and c.startswith(FORMULA_START) else c for c in row])


def _wita(moment: datetime | None, lang: str = "id") -> str:
    """``3 Desember 2026 pukul 00.21 WITA`` (``3 December 2026 at 00:21 WITA``)."""
    return date_and_time(moment, lang) if moment else ""


def _short_wita(moment: datetime) -> str:
    """``8/12 09.00`` in WITA (the recap's month and year are in its title)."""
    local = moment.astimezone(WITA)
    return f"{local.day}/{local.month} {local:%H.%M}"


def _percent(value: float | None, lang: str = "id") -> str:
    """A share's figure without its sign, in the language's decimal format (a CSV cell)."""
    return "" if value is None else labels.number(value, 1, lang)


def recap_csv(recap: Recap, lang: str = "id") -> str:
    """The recap as CSV: one header row per section, the section named in the first column."""
    i = 0 if lang == "id" else 1
    out = io.StringIO()
    writer = _SafeWriter(out)
    name = {k: v[i] for k, v in SECTIONS.items()}
    writer.writerow(HEADERS["summary"][i])
    month = recap.month.strftime("%Y-%m")
    writer.writerow([name["summary"], "bulan" if i == 0 else "month", month])
    writer.writerow([name["summary"], "diterima" if i == 0 else "received", recap.received])
    for outcome in OUTCOME_ORDER:
        writer.writerow([name["summary"], outcome, recap.outcomes.get(outcome, 0)])
    writer.writerow([name["summary"], "langkah_berstandar_selesai" if i == 0 else "timed_steps_finished",
                     recap.finished_timed])
    writer.writerow([name["summary"], "dalam_standar" if i == 0 else "within_standard", recap.within])
    writer.writerow([])
    writer.writerow(HEADERS["agencies"][i])
    for line in recap.agencies:
        writer.writerow([name["agencies"], line.agency, line.name, line.received]
                        + [line.outcomes.get(o, 0) for o in OUTCOME_ORDER])
    writer.writerow([])
    writer.writerow(HEADERS["steps"][i])
    for step in recap.steps:
        writer.writerow([name["steps"], step.step, step.name, step.lane, step.standard or "", step.finished,
                         step.breached, _percent(step.percent, lang),
                         "" if step.median_minutes is None else step.median_minutes])
    writer.writerow([])
    writer.writerow(HEADERS["breaches"][i])
    for b in recap.breaches:
        writer.writerow([name["breaches"], b.instance_id, b.letter_number, b.topic, b.agency, b.step, b.lane,
                         b.standard, _wita(b.started_at, lang), _wita(b.ended_at, lang), _wita(b.due_at, lang),
                         b.late_minutes,
                         b.held_by, b.escalations, b.incidents])
    return out.getvalue()


def _environment() -> Environment:
    env = Environment(loader=ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(LETTER_TEMPLATES)]),
                      undefined=StrictUndefined, autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(flags=flags, wita=_wita, short_wita=_short_wita, office_time=labels.office_time,
                       standard=labels.standard, outcome=labels.outcome, percent=labels.percent)
    return env


_ENV = _environment()


def recap_html(recap: Recap, settings, now: datetime, verification=None) -> str:
    """The recap document as HTML (Indonesian: it is an official report); ``verification``:
    the entry whose QR it carries."""
    month = labels.month_name(recap.month.strftime("%Y-%m"))
    bars = charts.outcome_bar(recap.outcomes, OUTCOME_ORDER, {o: labels.outcome(o) for o in OUTCOME_ORDER},
                              title=f"Hasil permohonan yang diterima pada {month}")
    return _ENV.get_template("recap.html").render(
        recap=recap, month=month, kop=letterhead(settings), signer=signer(settings), place=settings.place,
        date=long_date(now), paper=PAPER_SIZES.get(settings.paper, settings.paper), order=OUTCOME_ORDER,
        outcome_chart=bars, verification=verification)


CHART_ID = re.compile(r"\bchart(\d+)")


def _steady(html: str) -> str:
    """The charts' element ids numbered from 1 in the document (the process-wide counter
    would make every download a new document, with a new verification entry)."""
    order: dict[str, str] = {}
    return CHART_ID.sub(lambda m: "chart" + order.setdefault(m.group(1), str(len(order) + 1)), html)


def recap_pdf(recap: Recap, settings, now: datetime, verifications=None) -> bytes:
    """The recap document as PDF, with a QR to its own verification entry when
    ``verifications`` (``SqlVerifications``) is given: one entry per distinct document,
    so downloading the same recap again gives the same PDF and the same entry."""
    entry = None
    if verifications is not None:
        plain = _steady(recap_html(recap, settings, now))
        key = f"rekap:{recap.month:%Y-%m}:{hashlib.sha256(plain.encode('utf-8')).hexdigest()[:40]}"
        entry = verifications.prepare(Issue(
            kind="rekap", key=key, instance_id=None, number=None,
            subject=f"Rekapitulasi Bulanan Layanan Fasilitasi Zoom Meeting {labels.month_name(f'{recap.month:%Y-%m}')}",
            addressee="", signer_position=settings.signer_position, issued_at=now), now)
    html = _steady(recap_html(recap, settings, now, entry))
    weasyprint = _weasyprint()
    with _render_lock:
        pdf = weasyprint.HTML(string=html, base_url=str(LETTER_TEMPLATES)).write_pdf()
    if entry is not None:
        verifications.record(entry.token, None, hashlib.sha256(pdf).hexdigest())
    return pdf
