"""The dashboard, meeting calendar and monthly recap pages: who may open
them, and the scenario's figures as the pages show them."""
import csv
import io

import pytest

from tests.api.conftest import app_on_copy
from tests.engine.documents import pdf_text
from tests.engine.letter_setup import OFFICE
from tests.engine.monitoring_scenario import KABID, build, monday_clock
from tests.web.browser import Pages

PAGES = ("/dasbor", "/kalender-rapat", "/rekap", "/rekap/2026-12.pdf", "/rekap/2026-12.csv")


@pytest.fixture(scope="module")
def app(template_db, tmp_path_factory):
    """The app with the scenario, built once: the tests only read it."""
    app = app_on_copy(template_db, tmp_path_factory.mktemp("dashboard") / "vicon.sqlite", monday_clock(),
                      {"letters": OFFICE})
    engine = app.extensions["vicon"]
    build(engine, engine.clock)
    yield app
    engine.db.dispose()


def test_only_managers_and_admins_open_the_pages(make_app):
    app = make_app()  # no history needed to be refused
    for username in ("opd.dinkes", "kadis", "kabid", "subkoordinator", "staf", "analyst"):
        client = Pages(app, username)
        for path in PAGES:
            response = client.get(path)
            assert response.status_code == 403, (username, path)
            assert "Peran Anda tidak diizinkan" in response.get_data(as_text=True)
    for path in PAGES:
        response = Pages(app, None).get(path)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    empty = Pages(app, "manager").get("/dasbor")
    assert empty.status_code == 200 and ">0 menunggu</text>" in empty.get_data(as_text=True)


@pytest.mark.parametrize("username", ["manager", "admin"])
def test_the_dashboard_draws_the_lanes_and_figures(pages, username):
    response = pages(username).get("/dasbor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="heatmap') == 2  # wide and phone
    for lane in ("OPD pemohon", "Kepala Dinas (Kadis)", "Kepala Bidang (Kabid)", "Subkoordinator", "Staf pelaksana"):
        assert f">{lane}</text>" in html
    assert "Peta panas SOP" in html and "<desc" in html and 'role="img"' in html
    assert "T02 · Disposisi Kadis ke Kabid" in html and ">1 menunggu</text>" in html
    assert ">3 selesai dalam 30 hari</text>" in html and "standar 1 hari kerja" in html
    assert ">67 %</text>" in html  # T08 in December: 2 of 3 within the day, in Indonesian format
    assert "Terpenuhi: 3" in html and "Kedaluwarsa: 1" in html and "Masih berjalan: 1" in html
    assert ">DINKES</text>" in html and '<span class="kpi-value">1</span>' in html


def test_the_dashboard_in_english(pages):
    client = pages("manager")
    client.submit("/bahasa", {"lang": "en", "next": "/dasbor"}, page="/dasbor")
    html = client.get("/dasbor").get_data(as_text=True)
    assert "Service dashboard" in html and "Fulfilled: 3" in html and "1 working day" in html
    assert "T02 · Head of agency&#39;s" in html  # the card's first line
    assert "Disposisi Kadis ke Kabid" not in html  # step names from the model's nameEn


def test_the_meeting_calendar_by_week_and_month(pages):
    client = pages("manager")
    week = client.get("/kalender-rapat?tampilan=minggu&tanggal=2026-12-09").get_data(as_text=True)
    assert "7 Desember 2026 – 13 Desember 2026" in week
    assert week.count('class="cal-entry"') == 3  # the three fulfilled requests' meetings and "DINKES · Rapat koordinasi stunting" in week
    assert "10.00–11.30" in week  # WITA
    month = client.get("/kalender-rapat?tampilan=bulan&tanggal=2026-12-09&akun=zoom-1")
    assert month.status_code == 200 and "1 Desember 2026 – 31 Desember 2026" in month.get_data(as_text=True)
    later = client.get("/kalender-rapat?tampilan=minggu&tanggal=2026-12-21").get_data(as_text=True)
    assert "Tidak ada pemesanan dalam periode ini." in later
    bad = client.get("/kalender-rapat?tanggal=kemarin")
    assert bad.status_code == 400 and "Tanggal tidak valid" in bad.get_data(as_text=True)


def test_the_recap_page_and_its_downloads(pages):
    client = pages("manager")
    html = client.get("/rekap?bulan=2026-12").get_data(as_text=True)
    assert "Desember 2026" in html and '<span class="kpi-value">5</span>' in html
    assert "89 %" in html and KABID in html and "7 j 30 m" in html
    assert 'href="/rekap/2026-12.pdf"' in html and 'href="/rekap/2026-12.csv"' in html
    bad = client.get("/rekap?bulan=2026-13")
    assert bad.status_code == 400 and "Bulan tidak valid" in bad.get_data(as_text=True)

    sheet = client.get("/rekap/2026-12.csv")
    assert sheet.mimetype == "text/csv" and "attachment" in sheet.headers["Content-Disposition"]
    assert sheet.headers["Server-Timing"].startswith("app;dur=")  # the app's own time, read by make bench
    text = sheet.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert ["ringkasan", "diterima", "5"] in rows and ["ringkasan", "fulfilled", "3"] in rows

    pdf = client.get("/rekap/2026-12.pdf")
    assert pdf.mimetype == "application/pdf"
    words = pdf_text(pdf.get_data())
    assert "menerima 5 permohonan" in words and KABID in words
    assert client.get("/rekap/2026-13.pdf").status_code == 404
