"""The analysts' pages: processes with the upload form, versions, migration."""
import io
from datetime import timedelta

import pytest

from tests.conftest import future_request
from tests.engine.sop_versions import sop_bundle, sop_v2

KEY = "zoom_meeting_request"


def bpmn_file(data: bytes):
    return (io.BytesIO(data), "proses.bpmn")


@pytest.mark.parametrize("user", ["kadis", "manager", "opd.dinkes", "staf"])
def test_only_analysts_and_admins_open_the_pages(pages, user):
    browser = pages(user)
    for path in ("/proses", f"/proses/{KEY}/versi", f"/proses/{KEY}/migrasi?ke=1", f"/proses/{KEY}/versi/1.bpmn"):
        assert browser.get(path).status_code == 403, path
    refused = browser.submit(f"/proses/{KEY}/migrasi", {"ke": "1", "permohonan": ["x"]}, page="/kotak-masuk")
    assert refused.status_code == 403
    assert browser.submit("/proses", {"aksi": "terapkan", "bpmn": bpmn_file(sop_v2()[0])},
                          page="/kotak-masuk").status_code == 403
    assert "Versi proses" not in browser.get("/kotak-masuk").get_data(as_text=True)
    assert pages(None).get("/proses").status_code == 302  # to the sign-in page


def test_an_upload_is_checked_then_deployed_and_listed_with_its_changes(pages):
    analyst = pages("analyst")
    page = analyst.get("/proses").get_data(as_text=True)
    assert "Permohonan Fasilitasi Zoom Meeting" in page and "Versi proses" in page
    bpmn, _ = sop_bundle()
    bad = bpmn.replace(b'id="meeting/create"', b'id="meeting/invent"')
    checked = analyst.submit("/proses", {"aksi": "periksa", "bpmn": bpmn_file(bad)})
    text = checked.get_data(as_text=True)
    assert checked.status_code == 422 and "T05_create_meeting" in text and "tidak terdaftar" in text
    assert analyst.submit("/proses", {"aksi": "terapkan", "bpmn": bpmn_file(bad)}).status_code == 422
    # a browser sends an empty, unnamed "forms" part when no form file was chosen
    good = analyst.submit("/proses", {"aksi": "periksa", "bpmn": bpmn_file(sop_v2()[0]),
                                      "forms": (io.BytesIO(b""), "")})
    assert good.status_code == 200 and "dapat diterapkan" in good.get_data(as_text=True)
    deployed = analyst.submit("/proses", {"aksi": "terapkan", "bpmn": bpmn_file(sop_v2()[0])})
    assert deployed.status_code == 302 and deployed.headers["Location"].endswith(f"/proses/{KEY}/versi")
    page = analyst.get(f"/proses/{KEY}/versi").get_data(as_text=True)
    assert "Versi 2 dari zoom_meeting_request diterapkan" in page
    assert "T06b_check_meeting" in page and "Periksa tautan rapat" in page and "standar waktu" in page
    assert f"/proses/{KEY}/modeler?versi=2" in page and f"/proses/{KEY}/modeler?versi=1" in page
    download = analyst.get(f"/proses/{KEY}/versi/2.bpmn")
    assert download.status_code == 200 and download.data == sop_v2()[0]
    again = analyst.submit("/proses", {"aksi": "terapkan", "bpmn": bpmn_file(sop_v2()[0])})
    assert "tidak ada versi baru" in analyst.get(again.headers["Location"]).get_data(as_text=True)


def test_the_migration_page_runs_a_dry_run_and_moves_the_chosen_requests(pages, clock):
    analyst = pages("analyst")
    engine = analyst.engine
    opd = engine.actor("opd.dinkes")
    waiting = engine.start(KEY, future_request(clock, topic="Rapat yang menunggu Kadis"), opd).summary.id
    ahead = engine.start(KEY, future_request(clock, topic="Rapat di meja Kabid"), opd)
    task = next(t for t in ahead.tasks if t.name == "T02_disposition_kadis")
    engine.complete_task(task.id, {"instructions": ["Untuk ditindaklanjuti"], "note": "Mohon difasilitasi"},
                         engine.actor("kadis"))
    engine.deploy(sop_v2()[0], {}, engine.actor("admin"))
    page = analyst.get(f"/proses/{KEY}/migrasi?ke=2").get_data(as_text=True)
    assert "Rapat yang menunggu Kadis" in page and "Rapat di meja Kabid" in page
    assert "langkah saat ini T02_disposition_kadis tidak ada di versi 2" in page
    assert f'value="{ahead.summary.id}" id="p-{ahead.summary.id}" checked' in page
    assert f'value="{waiting}" id="p-{waiting}" disabled' in page
    assert "Disposisi Kabid ke Subkoordinator" in page  # the current step by name
    no_token = analyst.submit(f"/proses/{KEY}/migrasi", {"ke": "2", "permohonan": [ahead.summary.id]}, token=False)
    assert no_token.status_code == 400
    moved = analyst.submit(f"/proses/{KEY}/migrasi", {"ke": "2", "permohonan": [ahead.summary.id, waiting]},
                           page=f"/proses/{KEY}/migrasi?ke=2")
    text = moved.get_data(as_text=True)
    assert moved.status_code == 200
    assert "1 permohonan dipindahkan ke versi 2." in text and "1 permohonan tidak dipindahkan" in text
    versions = {v.version: v.running for v in engine.process_versions(KEY, engine.actor("analyst"))}
    assert versions == {1: 1, 2: 1}
    events = [e.type for e in engine.events(ahead.summary.id, engine.actor("admin"))]
    assert events[-1] == "instance_migrated"


def test_the_migration_page_says_how_a_deadline_moves_and_lists_only_the_changes_ahead(pages, clock):
    from api.web.wita import long_datetime
    from engine import Worker
    from tests.engine.sop_versions import with_ten_minutes
    analyst = pages("analyst")
    engine = analyst.engine
    view = engine.start(KEY, future_request(clock, topic="Rapat di meja Staf"), engine.actor("opd.dinkes"))
    for step, user, data in (("T02_disposition_kadis", "kadis", {"instructions": ["Untuk ditindaklanjuti"],
                                                                 "note": "Mohon difasilitasi"}),
                             ("T03_disposition_kabid", "kabid", {}), ("T04_disposition_staf", "subkoordinator", {})):
        task = next(t for t in view.tasks if t.name == step)
        view = engine.complete_task(task.id, data, engine.actor(user))
    Worker(engine).run_once()  # no Zoom account: the meeting is entered by hand, inside SP05 (PT15M)
    view = engine.get_instance(view.summary.id, engine.actor("admin"))
    [meeting] = [t for t in view.tasks if t.name == "T05_enter_meeting_details"]
    engine.deploy(with_ten_minutes(sop_bundle()[0]), {}, engine.actor("admin"))
    page = analyst.get(f"/proses/{KEY}/migrasi?ke=2").get_data(as_text=True)
    before, after = meeting.due_at, meeting.due_at - timedelta(minutes=5)
    assert (f"Tenggat Buat rapat Zoom (maks. 15 menit) berubah dari {long_datetime(before)} "
            f"menjadi {long_datetime(after)}") in page
    assert "1 elemen berubah" in page and "<code>SP05_create_meeting</code>" in page
    analyst.submit("/bahasa", {"lang": "en", "next": f"/proses/{KEY}/migrasi?ke=2"}, page=f"/proses/{KEY}/migrasi?ke=2")
    english = analyst.get(f"/proses/{KEY}/migrasi?ke=2").get_data(as_text=True)
    assert f"changes from {long_datetime(before, 'en')} to {long_datetime(after, 'en')}" in english


def test_an_upload_over_the_body_limit_is_named_on_the_page(pages):
    analyst = pages("analyst")
    limit = analyst.app.config["MAX_CONTENT_LENGTH"]
    analyst.get("/proses")
    response = analyst.client.post("/proses", data=b"-" * (limit + 1),
                                   content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "berkas BPMN paling besar 2 MB" in response.get_data(as_text=True)
    kadis = pages("kadis")
    kadis.get("/kotak-masuk")
    refused = kadis.client.post("/proses", data=b"-" * (limit + 1),
                                content_type="multipart/form-data; boundary=x")
    assert refused.status_code == 413 and "Proses dan versi" not in refused.get_data(as_text=True)
