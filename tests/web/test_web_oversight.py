"""The managers' monitoring pages: the list with filters, search, pages and
CSV, one request with its diagram state and timed audit trail, incidents, and
the audit verification (page and command), for each role."""
from __future__ import annotations

import base64
import csv
import io
import json
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from engine import Worker
from tests.conftest import future_request

PDF = b"%PDF-1.4\n% vicon test letter\n%%EOF\n"
OTHERS = ("kadis", "staf", "analyst", "opd.dinkes")
STAGE_T02 = "Disposisi Kadis ke Kabid"
STATE = re.compile(r'<script type="application/json" id="diagram-state">(.*?)</script>', re.S)


def start(engine, clock, agency="dinkes", **overrides):
    """A request started by the agency's account (through the engine, as the page does)."""
    view = engine.start("zoom_meeting_request", future_request(clock, **overrides), engine.actor(f"opd.{agency}"))
    Worker(engine).run_once()
    return view.summary.id


def complete(engine, instance_id, element, username, data=None):
    """Complete the instance's ready task ``element`` as ``username``."""
    task = next(t for t in engine.get_instance(instance_id, engine.actor("admin")).tasks if t.name == element)
    engine.complete_task(task.id, data or {}, engine.actor(username))
    Worker(engine).run_once()


@pytest.fixture
def seeded(pages, clock):
    """Two requests: dinkes's waiting for the Kadis, disdik's moved on to the Kabid."""
    engine = pages("manager").engine
    first = start(engine, clock, topic="Rapat koordinasi stunting", letter_number="400.7/111/DINKES/2026")
    clock.advance(hours=1)
    second = start(engine, clock, "disdik", topic="Sosialisasi kurikulum merdeka",
                   letter_number="421/222/DISDIK/2026")
    complete(engine, second, "T02_disposition_kadis", "kadis")
    return engine, first, second


def test_managers_and_admins_see_every_request_others_are_refused(pages, seeded):
    for user in ("manager", "admin"):
        page = pages(user).get("/pemantauan/permohonan")
        body = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "Rapat koordinasi stunting" in body and "Sosialisasi kurikulum merdeka" in body
        assert "2 permohonan ditemukan." in body
    for user in OTHERS:
        for path in ("/pemantauan/permohonan", "/pemantauan/permohonan.csv", f"/pemantauan/permohonan/{seeded[1]}",
                     "/pemantauan/insiden", "/pemantauan/audit?periksa=1"):
            assert pages(user).get(path).status_code == 403, (user, path)
    signed_out = pages(None).get("/pemantauan/permohonan")
    assert signed_out.status_code == 302 and "/masuk" in signed_out.headers["Location"]


def test_the_menu_links_the_monitoring_for_managers_only(pages, seeded):
    assert 'href="/pemantauan/permohonan"' in pages("manager").get("/kotak-masuk").get_data(as_text=True)
    assert 'href="/pemantauan/permohonan"' not in pages("kadis").get("/kotak-masuk").get_data(as_text=True)


def _topics(browser, query: str) -> set[str]:
    body = browser.get(f"/pemantauan/permohonan?{query}").get_data(as_text=True)
    return {t for t in ("Rapat koordinasi stunting", "Sosialisasi kurikulum merdeka") if t in body}


def test_filters_narrow_the_list(pages, seeded, clock):
    engine, first, second = seeded
    manager = pages("manager")
    both = {"Rapat koordinasi stunting", "Sosialisasi kurikulum merdeka"}
    assert _topics(manager, "") == both
    assert _topics(manager, "tahap=T02_disposition_kadis") == {"Rapat koordinasi stunting"}
    assert _topics(manager, "tahap=T03_disposition_kabid") == {"Sosialisasi kurikulum merdeka"}
    assert _topics(manager, "opd=disdik") == {"Sosialisasi kurikulum merdeka"}
    assert _topics(manager, "opd=nobody") == set()
    assert _topics(manager, "status=running") == both
    assert _topics(manager, "status=completed") == set()
    assert _topics(manager, "hasil=fulfilled") == set()
    today = clock.now().date().isoformat()
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    assert _topics(manager, f"dari={today}&sampai={today}") == both
    assert _topics(manager, f"dari={tomorrow}") == set()
    meeting_day = (clock.now() + timedelta(days=2)).date().isoformat()
    assert _topics(manager, f"menurut=rapat&dari={meeting_day}&sampai={meeting_day}") == both
    assert _topics(manager, f"menurut=rapat&sampai={today}") == set()
    assert _topics(manager, "terlambat=1") == set()
    with engine.db.transaction() as session:  # the Kabid's step is due an hour ago
        session.execute(text("UPDATE ready_tasks SET due_at = :due WHERE instance_id = :id"),
                        {"due": (clock.now() - timedelta(hours=1)).replace(tzinfo=None), "id": second})
    assert _topics(manager, "terlambat=1") == {"Sosialisasi kurikulum merdeka"}
    assert "Lewat tenggat" in manager.get("/pemantauan/permohonan?terlambat=1").get_data(as_text=True)


def test_search_by_topic_or_letter_number(pages, seeded):
    manager = pages("manager")
    assert _topics(manager, "q=KURIKULUM") == {"Sosialisasi kurikulum merdeka"}
    assert _topics(manager, "q=111%2FDINKES") == {"Rapat koordinasi stunting"}
    assert _topics(manager, "q=%25") == {"Rapat koordinasi stunting", "Sosialisasi kurikulum merdeka"}
    assert _topics(manager, "q=tidak-ada") == set()


def test_a_search_goes_page_by_page(pages, seeded, monkeypatch):
    monkeypatch.setattr("api.web.oversight_list.PER_PAGE", 1)
    manager = pages("manager")
    first = manager.get("/pemantauan/permohonan?q=rapat%20%20").get_data(as_text=True)
    assert "1 permohonan ditemukan." in first and "Rapat koordinasi stunting" in first
    both = manager.get("/pemantauan/permohonan?q=2026").get_data(as_text=True)
    assert "2 permohonan ditemukan." in both and "Halaman 1 dari 2" in both
    assert "Sosialisasi kurikulum merdeka" in both and "Rapat koordinasi stunting" not in both
    second = manager.get("/pemantauan/permohonan?q=2026&halaman=2").get_data(as_text=True)
    assert "Rapat koordinasi stunting" in second and "Halaman 2 dari 2" in second


def test_bad_filters_are_named_in_the_page_language(pages, seeded):
    page = pages("manager").get("/pemantauan/permohonan?dari=07-12-2026&status=lost")
    body = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Tanggal tidak valid; gunakan format TTTT-BB-HH." in body and "Status tidak dikenal." in body
    assert pages("manager").get("/pemantauan/permohonan.csv?dari=x").status_code == 400


def test_pages_keep_the_filters(pages, seeded, monkeypatch):
    monkeypatch.setattr("api.web.oversight_list.PER_PAGE", 1)
    manager = pages("manager")
    first = manager.get("/pemantauan/permohonan?status=running").get_data(as_text=True)
    assert "Sosialisasi kurikulum merdeka" in first and "Rapat koordinasi stunting" not in first
    assert "Halaman 1 dari 2" in first
    assert re.search(r'href="/pemantauan/permohonan\?halaman=2&amp;status=running"', first), first
    second = manager.get("/pemantauan/permohonan?status=running&halaman=2").get_data(as_text=True)
    assert "Rapat koordinasi stunting" in second and "Sosialisasi kurikulum merdeka" not in second


def test_the_csv_export_has_every_filtered_row_quoted_and_defused(pages, clock, monkeypatch):
    monkeypatch.setattr("engine.monitoring.instances.EXPORT_BATCH", 2)  # batches meet at equal times
    engine = pages("admin").engine
    start(engine, clock, topic="=HYPERLINK(\"http://x\"), lalu rapat", letter_number="+1/2026")
    start(engine, clock, "disdik", topic="Rapat biasa, dengan koma", letter_number="421/9/DISDIK/2026")
    for index in range(3):
        start(engine, clock, "dishub", topic=f"Rapat dishub {index}", letter_number=f"551/{index}/DISHUB/2026")
    response = pages("manager").get("/pemantauan/permohonan.csv?opd=dinkes")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ID", "Topik", "Nomor surat", "OPD"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(\"http://x\"), lalu rapat" and rows[1][2] == "'+1/2026"
    assert rows[1][3] == "DINKES" and rows[1][4] == "Sedang diproses" and rows[1][6] == STAGE_T02
    every = list(csv.reader(io.StringIO(pages("admin").get("/pemantauan/permohonan.csv").get_data().decode("utf-8-sig"))))
    assert len(every) == 1 + 5 and len({r[0] for r in every[1:]}) == 5
    assert any(r[1] == "Rapat biasa, dengan koma" for r in every)


def test_the_instance_page_shows_the_diagram_state_and_the_timed_trail(pages, clock):
    engine = pages("manager").engine
    letter = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    instance_id = start(engine, clock, letter_file=letter)
    clock.advance(hours=2)
    complete(engine, instance_id, "T02_disposition_kadis", "kadis")
    page = pages("manager").get(f"/pemantauan/permohonan/{instance_id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    state = json.loads(STATE.search(body).group(1))
    assert {"S01_request_submitted", "T02_disposition_kadis", "G02_merge", "G02_decision"} <= set(state["completed"])
    assert state["current"] == ["T03_disposition_kabid"] and state["failed"] == []
    assert state["bpmn"].startswith("<?xml") and 'id="T03_disposition_kabid"' in state["bpmn"]
    assert "bpmn-navigated-viewer.production.min.js" in body
    digest = __import__("hashlib").sha256(base64.b64encode(PDF)).hexdigest()
    assert digest in body and base64.b64encode(PDF).decode() not in body  # the upload as its hash only
    assert "Disposisi Kadis ke Kabid" in body and "2 j 0 mnt" in body  # two office hours to decide
    assert pages("admin").get(f"/pemantauan/permohonan/{instance_id}").status_code == 200
    sheet = pages("manager").get(f"/pemantauan/permohonan/{instance_id}/lembar-disposisi.pdf")
    assert sheet.status_code == 200 and sheet.get_data().startswith(b"%PDF-")
    assert f"/pemantauan/permohonan/{instance_id}/lembar-disposisi.pdf" in body
    for user in ("opd.dinkes", "kadis"):
        assert pages(user).get(f"/pemantauan/permohonan/{instance_id}/lembar-disposisi.pdf").status_code == 403
    assert pages("manager").get("/pemantauan/permohonan/00000000-0000-0000-0000-000000000000").status_code == 404


def _tamper(engine, instance_id, seq):
    with engine.db.transaction() as session:
        session.execute(text("UPDATE audit_events SET data = :data WHERE instance_id = :id AND seq = :seq"),
                        {"data": json.dumps({"topic": "diubah diam-diam"}), "id": instance_id, "seq": seq})


def test_a_tampered_audit_row_is_found_by_the_page_and_the_command(pages, seeded, app):
    from api.entrypoints.audit_cli import verify_audit_command
    engine, first, second = seeded
    manager, runner = pages("manager"), app.test_cli_runner()
    intact = manager.get("/pemantauan/audit?periksa=1")
    assert intact.status_code == 200 and "Utuh: 2 permohonan" in intact.get_data(as_text=True)
    result = runner.invoke(verify_audit_command, [])
    assert result.exit_code == 0 and "intact: 2 requests" in result.output
    _tamper(engine, second, 2)
    broken = manager.get("/pemantauan/audit?periksa=1")
    body = broken.get_data(as_text=True)
    assert broken.status_code == 409
    assert f"permohonan {second}, peristiwa nomor 2." in body and "isi peristiwa diubah" in body
    assert first not in body
    result = runner.invoke(verify_audit_command, [])
    assert result.exit_code == 1 and f"first broken event: instance {second} seq 2 (event altered)" in result.output
    one = runner.invoke(verify_audit_command, ["--instance", first])
    assert one.exit_code == 0, one.output
    assert runner.invoke(verify_audit_command, ["--instance", second]).exit_code == 1
    only = manager.get(f"/pemantauan/audit?permohonan={second}")
    assert only.status_code == 409 and "peristiwa nomor 2" in only.get_data(as_text=True)
    assert pages("admin").get("/pemantauan/audit?periksa=1").status_code == 409


@pytest.fixture
def broken_pages(make_app):
    from tests.api.test_api_incidents import BrokenProvider
    from tests.web.browser import Pages
    app = make_app(settings={"job_max_attempts": 1}, meeting_provider=BrokenProvider())
    made = {}
    return lambda user: made.setdefault(user, Pages(app, user))


def test_incidents_are_listed_for_managers_and_retried_by_admins(broken_pages, clock, caplog):
    caplog.set_level(logging.CRITICAL, logger="vicon.worker")  # the failure is expected here
    engine = broken_pages("admin").engine
    instance_id = start(engine, clock, topic="Rapat yang gagal dibuat")
    for element, user in (("T02_disposition_kadis", "kadis"), ("T03_disposition_kabid", "kabid"),
                          ("T04_disposition_staf", "subkoordinator")):
        complete(engine, instance_id, element, user)
    seen = broken_pages("manager").get("/pemantauan/insiden").get_data(as_text=True)
    assert "Rapat yang gagal dibuat" in seen and "meeting service unreachable" in seen
    assert "Ulangi layanan" not in seen and "Hanya administrator yang dapat mengulang insiden." in seen
    job_id = engine.incidents(engine.actor("admin"))[0].id
    assert broken_pages("manager").submit(f"/pemantauan/insiden/{job_id}/ulangi",
                                          page="/pemantauan/insiden").status_code == 403
    admin = broken_pages("admin")
    assert "Ulangi layanan" in admin.get("/pemantauan/insiden").get_data(as_text=True)
    assert admin.submit(f"/pemantauan/insiden/{job_id}/ulangi", token=False,
                        page="/pemantauan/insiden").status_code in (400, 403)
    done = admin.submit(f"/pemantauan/insiden/{job_id}/ulangi", page="/pemantauan/insiden")
    assert done.status_code == 302
    after = admin.get("/pemantauan/insiden").get_data(as_text=True)
    assert "dijadwalkan ulang" in after and "Tidak ada insiden." in after
    again = admin.submit(f"/pemantauan/insiden/{job_id}/ulangi", page="/pemantauan/insiden")
    assert "Insiden tidak diulang" in admin.get("/pemantauan/insiden").get_data(as_text=True)
    assert again.status_code == 302
    for user in ("kadis", "opd.dinkes"):
        assert broken_pages(user).get("/pemantauan/insiden").status_code == 403


def test_a_long_list_is_counted_up_to_the_cap(pages, seeded, monkeypatch):
    from engine import Oversight
    monkeypatch.setattr("engine.monitoring.instances.COUNT_CAP", 1)
    monkeypatch.setattr(Oversight, "COUNT_CAP", 1)
    monkeypatch.setattr("api.web.oversight_list.PER_PAGE", 1)
    body = pages("manager").get("/pemantauan/permohonan").get_data(as_text=True)
    assert "Lebih dari 1 permohonan ditemukan; saring untuk mempersempit." in body
    assert "Halaman 1" in body and "Halaman 1 dari" not in body and 'rel="next"' in body
    searched = pages("manager").get("/pemantauan/permohonan?q=2026&halaman=2").get_data(as_text=True)
    assert "Lebih dari 1 permohonan ditemukan" in searched and "Rapat koordinasi stunting" in searched


def test_the_monitoring_pages_speak_english_when_chosen(pages, seeded):
    manager = pages("manager")
    manager.submit("/bahasa", {"lang": "en", "next": "/pemantauan/permohonan"}, page="/pemantauan/permohonan")
    listing = manager.get("/pemantauan/permohonan").get_data(as_text=True)
    assert "Request monitoring" in listing and "2 requests found." in listing and "Overdue only" in listing
    detail = manager.get(f"/pemantauan/permohonan/{seeded[2]}").get_data(as_text=True)
    assert "Process diagram" in detail and "Audit trail" in detail and "Current / waiting" in detail
    assert "Head of agency&#39;s disposition to the division head" in listing  # the model's nameEn
    assert STAGE_T02 not in listing
    header = manager.get("/pemantauan/permohonan.csv").get_data().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("ID,Topic,Letter number,Agency,Status,Outcome,Current step")


def test_the_audit_page_checks_within_its_time_budget_and_goes_on(pages, seeded, monkeypatch):
    monkeypatch.setattr("api.web.oversight_admin.PAGE_BUDGET_SECONDS", -1.0)  # one request per page
    manager = pages("manager")
    body = manager.get("/pemantauan/audit?periksa=1").get_data(as_text=True)
    assert "Batas waktu halaman tercapai setelah 1 permohonan" in body
    onward = re.search(r'href="(/pemantauan/audit\?periksa=1&amp;setelah=[0-9a-f-]+)"', body).group(1)
    rest = manager.get(onward.replace("&amp;", "&")).get_data(as_text=True)
    assert "Utuh: 1 permohonan" in rest and "Lanjutkan pemeriksaan" not in rest


def test_the_trail_names_a_fallback_and_an_incident_for_what_they_are(broken_pages, pages, clock, caplog):
    caplog.set_level(logging.CRITICAL, logger="vicon.worker")  # the failure is expected here
    engine = broken_pages("admin").engine
    instance_id = start(engine, clock, topic="Rapat yang gagal dibuat")
    for element, user in (("T02_disposition_kadis", "kadis"), ("T03_disposition_kabid", "kabid"),
                          ("T04_disposition_staf", "subkoordinator")):
        complete(engine, instance_id, element, user)
    body = broken_pages("manager").get(f"/pemantauan/permohonan/{instance_id}").get_data(as_text=True)
    assert "Layanan otomatis gagal dan menjadi insiden: Buat rapat Zoom" in body
    manual = pages("manager").engine  # the default provider: staff type the meeting in
    other = start(manual, clock, topic="Rapat manual")
    for element, user in (("T02_disposition_kadis", "kadis"), ("T03_disposition_kabid", "kabid"),
                          ("T04_disposition_staf", "subkoordinator")):
        complete(manual, other, element, user)
    body = pages("manager").get(f"/pemantauan/permohonan/{other}").get_data(as_text=True)
    assert "Rapat dibuat secara manual sesuai pengaturan: Buat rapat Zoom" in body  # nothing failed
    assert "jalur cadangan" not in body and ">MEETING_FAILED<" not in body  # nor the model's error code


def test_the_list_cells_carry_their_column_names_for_the_phone_cards(pages, seeded):
    body = pages("manager").get("/pemantauan/permohonan").get_data(as_text=True)
    assert '<table class="grid cards">' in body
    for label in ("OPD", "Status", "Tahap sekarang", "Diajukan", "Waktu rapat"):
        assert f'data-label="{label}"' in body, label


def test_a_request_waiting_on_one_step_names_it_once_in_the_list(pages, seeded):
    body = pages("manager").get("/pemantauan/permohonan").get_data(as_text=True)
    cell = body[body.index("Rapat koordinasi stunting"):]
    cell = cell[cell.index('data-label="Tahap sekarang"'):cell.index("</td>", cell.index('data-label="Tahap sekarang"'))]
    assert "Menunggu Kepala Dinas: Disposisi Kadis ke Kabid" in cell
    assert cell.count("Disposisi Kadis ke Kabid") == 1, cell


def test_in_english_the_list_still_names_the_step_the_stage_leaves_out(pages, seeded):
    manager = pages("manager")
    manager.submit("/bahasa", {"lang": "en", "next": "/pemantauan/permohonan"}, page="/pemantauan/permohonan")
    body = manager.get("/pemantauan/permohonan").get_data(as_text=True)
    cell = body[body.index("Rapat koordinasi stunting"):]
    cell = cell[cell.index('data-label="Current step"'):cell.index("</td>", cell.index('data-label="Current step"'))]
    assert "Head of agency&#39;s disposition to the division head" in cell, cell
