"""The dashboard's and the monthly recap's figures against a scenario with
known counts (tests/engine/monitoring_scenario.py), built once per database
kind: the tests read it and leave it as they found it."""
import csv
import re
import io
from datetime import date

import pytest

from engine import Forbidden
from tests.engine.documents import pdf_text
from tests.engine.letter_setup import OFFICE
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.monitoring_scenario import KABID, build, module_engine

DECEMBER = date(2026, 12, 1)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def scenario(request, tmp_path_factory):
    """The scenario's driver, on a database of each kind."""
    with module_engine(request, tmp_path_factory, letters=OFFICE) as engine:
        yield build(engine, engine.clock)


def test_dashboard_counts_waiting_steps_times_and_outcomes(scenario):
    d = scenario
    board = d.engine.monitoring.dashboard(d.actor("manager"))
    steps = {s.id: s for s in board.steps}
    assert [s.lane for s in board.steps][:1] == ["OPD"] and steps["T02_disposition_kadis"].lane == "Kadis"
    assert (steps["T02_disposition_kadis"].waiting, board.running) == (1, 1)
    assert sum(s.waiting for s in board.steps) == 1
    review = steps["T08_review_draft"]
    assert (review.finished, review.breached, review.standard) == (3, 1, "P1D")
    assert review.median_minutes == 0 and review.standard_minutes == 450
    assert steps["SP05_create_meeting"].finished == 3 and steps["SP05_create_meeting"].standard == "PT15M"
    assert "T05_create_meeting" not in steps and "T08_escalate" not in steps
    [t08] = [c for c in board.compliance if c.step == "T08_review_draft"]
    assert (t08.month, t08.finished, t08.within) == ("2026-12", 3, 2)
    outcomes = {(o.month, o.outcome): o.count for o in board.outcomes}
    assert outcomes == {("2026-12", "fulfilled"): 3, ("2026-12", "expired"): 1, ("2026-12", "running"): 1}
    agencies = {(a.agency, a.month): a.count for a in board.agencies}
    assert agencies == {("dinkes", "2026-12"): 3, ("disdik", "2026-12"): 1, ("dishub", "2026-12"): 1}
    assert board.months[-1] == "2026-12" and len(board.months) == 6


def test_recap_figures_csv_and_pdf(scenario):
    d = scenario
    manager = d.actor("manager")
    recap = d.engine.monitoring.recap(DECEMBER, manager)
    assert recap.received == 5
    assert recap.outcomes == {"fulfilled": 3, "expired": 1, "running": 1}
    lines = {a.agency: a for a in recap.agencies}
    assert (lines["dinkes"].received, lines["dinkes"].outcomes) == (3, {"fulfilled": 2, "running": 1})
    [breach] = recap.breaches
    assert (breach.step, breach.late_minutes, breach.held_by, breach.escalations) == (
        "T08_review_draft", 450, KABID, 1)
    assert (recap.finished_timed, recap.within) == (9, 8)  # T05, T08, T10 of three requests

    rows = list(csv.reader(io.StringIO(d.engine.monitoring.recap_csv(DECEMBER, manager))))
    assert ["ringkasan", "diterima", "5"] in rows and ["ringkasan", "expired", "1"] in rows
    assert ["per_opd", "dinkes", "Dinas Kesehatan Kota Tarakan", "3", "2", "0", "0", "0", "0", "1"] in rows
    [t08] = [r for r in rows if r[:2] == ["kepatuhan_langkah", "T08_review_draft"]]
    assert t08[5:8] == ["3", "1", "66,7"]  # the Indonesian decimal comma
    [late] = [r for r in rows if r[:1] == ["pelanggaran"]]
    assert late[5] == "T08_review_draft" and late[11:14] == ["450", KABID, "1"]
    assert late[8].endswith(" WITA") and " pukul " in late[8]  # "8 Desember 2026 pukul 09.00 WITA"

    pdf = d.engine.monitoring.recap_pdf(DECEMBER, manager)
    text = pdf_text(pdf)
    assert "REKAPITULASI BULANAN LAYANAN FASILITASI ZOOM MEETING" in text and "Desember 2026" in text
    assert "menerima 5 permohonan" in text and "8 dari 9 langkah" in text
    assert "(88,9 %)" in text and "88.9" not in text  # Indonesian number format in the official PDF
    assert " pukul " in text and "WITA WITA" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "Dinas Kesehatan Kota Tarakan" in text and KABID in text and "7 j 30 m" in text
    assert OFFICE.signer_name in text
    # the signature never stands alone on a page: the closing sentence goes with it
    [signed_page] = [page for page in _pages(pdf) if OFFICE.signer_name in page]
    assert "Demikian rekapitulasi ini disampaikan" in signed_page


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_csv_cells_never_run_as_formulas(scenario):
    d = scenario
    from engine.storage.models import Instance
    with d.engine.db.transaction() as session:
        topics = {}
        for row in session.query(Instance):
            topics[row.id], row.topic = row.topic, "=HYPERLINK(\"http://x\")"
    try:
        rows = list(csv.reader(io.StringIO(d.engine.monitoring.recap_csv(DECEMBER, d.actor("manager")))))
    finally:  # the other tests read the same scenario
        with d.engine.db.transaction() as session:
            for row in session.query(Instance):
                row.topic = topics[row.id]
    [late] = [r for r in rows if r[:1] == ["pelanggaran"]]
    assert late[3] == "'=HYPERLINK(\"http://x\")"


def test_a_month_without_requests_and_the_calendar(scenario):
    d = scenario
    recap = d.engine.monitoring.recap(date(2026, 10, 1), d.actor("admin"))
    assert (recap.received, recap.breaches, recap.agencies) == (0, (), ())
    week = d.engine.monitoring.meeting_calendar(d.actor("manager"), "week", date(2026, 12, 9))
    assert (week.first_day, week.last_day) == (date(2026, 12, 7), date(2026, 12, 13))
    assert {e.agency for e in week.entries} == {"Dinas Kesehatan Kota Tarakan", "Dinas Pendidikan Kota Tarakan"}  # the expired one freed its host
    month = d.engine.monitoring.meeting_calendar(d.actor("manager"), "month", date(2026, 12, 9), "zoom-9")
    assert month.host_id is None and month.last_day == date(2026, 12, 31)


@pytest.mark.parametrize("username", ["opd.dinkes", "kadis", "staf", "analyst"])
def test_only_managers_and_admins_see_the_figures(scenario, username):
    d = scenario
    actor = d.actor(username)
    for call in (lambda: d.engine.monitoring.dashboard(actor), lambda: d.engine.monitoring.recap(DECEMBER, actor),
                 lambda: d.engine.monitoring.meeting_calendar(actor, "week", DECEMBER)):
        with pytest.raises(Forbidden):
            call()


def test_the_projection_catches_up_and_counts_each_step_once(make_engine, clock):
    d = Driver(make_engine())  # its own requests: the scenario stays as the other tests read it
    manager = d.actor("manager")
    for agency in ("dinkes", "disdik"):
        d.start(future_request(clock), agency=agency)
        d.complete("T02_disposition_kadis")
    before = {s.id: s for s in d.engine.monitoring.dashboard(manager).steps}
    d.complete("T03_disposition_kabid")  # the second request's Kabid
    d.engine.monitoring.dashboard(manager)  # a second visit adds nothing twice
    after = {s.id: s for s in d.engine.monitoring.dashboard(manager).steps}
    assert (before["T02_disposition_kadis"].finished, before["T03_disposition_kabid"].finished) == (2, 0)
    assert (after["T02_disposition_kadis"].finished, after["T03_disposition_kabid"].finished) == (2, 1)
    assert (after["T03_disposition_kabid"].waiting, after["T04_disposition_staf"].waiting) == (1, 1)
    from sqlalchemy import func, select
    from engine.storage.monitoring_models import StepDay, StepTime
    with d.engine.db.reading() as session:
        rows = session.scalar(select(func.count()).select_from(StepTime))
        totals = session.scalar(select(func.sum(StepDay.finished)).where(StepDay.bucket == -1))
        buckets = session.scalar(select(func.sum(StepDay.finished)).where(StepDay.bucket >= 0))
    assert rows == totals == buckets
