"""A second process bundle, deployed at run time, walked through the pages: the
agency picks it on the new-request page, the officials of the roles its lanes
name find its tasks in their inboxes and complete them, the request ends, and
the managers see it; no page knows the process."""
from __future__ import annotations

import re

from tests.api.client import Api
from tests.second_process import KEY, NAME, REQUEST, STEPS, multipart
from tests.web.flow import TASK_LINK


def _deploy(app) -> None:
    body, content_type = multipart()
    response = Api(app).post("/process-definitions", "analyst", data=body, content_type=content_type)
    assert response.status_code == 201, response.json


def _task_of(browser, instance_id: str) -> str:
    """The one task link of ``instance_id`` in the browser's inbox."""
    engine = browser.engine
    view = engine.get_instance(instance_id, engine.actor("admin"))
    ids = TASK_LINK.findall(browser.get("/kotak-masuk").get_data(as_text=True))
    mine = [t.id for t in view.tasks if t.id in ids]
    assert len(mine) == 1, (browser.username, ids)
    return mine[0]


def test_the_second_process_runs_from_the_request_page_to_its_end(app, pages):
    _deploy(app)
    agency = pages("opd.dinkes")
    choose = agency.get("/permohonan/baru").get_data(as_text=True)
    assert f"/permohonan/baru?proses={KEY}" in choose and "/permohonan/baru?proses=zoom_meeting_request" in choose
    assert NAME in choose
    form = agency.get(f"/permohonan/baru?proses={KEY}").get_data(as_text=True)
    assert "<h1>Ajukan permohonan: Permohonan peminjaman ruang rapat</h1>" in form and 'name="room"' in form
    assert 'name="start_at"' not in form and "Zoom Meeting</h1>" not in form
    sent = agency.submit(f"/permohonan/baru?proses={KEY}", {k: str(v) for k, v in REQUEST.items()})
    assert sent.status_code == 302, sent.get_data(as_text=True)[-2000:]
    instance_id = sent.headers["Location"].rsplit("/", 1)[-1]
    page = agency.get(f"/permohonan/{instance_id}").get_data(as_text=True)
    assert "Menunggu Sekretariat: Periksa ketersediaan ruang" in page

    for element_id, title, lane, user in STEPS:
        for other in ("kadis", "subkoordinator"):  # roles no lane of this process names
            assert _task_ids(pages(other)) & _open_tasks(agency, instance_id) == set()
        browser = pages(user)
        task_id = _task_of(browser, instance_id)
        task_page = browser.get(f"/tugas/{task_id}").get_data(as_text=True)
        assert f"<h1>{title}</h1>" in task_page
        answer = {"available": "on"} if element_id == "check_room" else {"decision": "approve"}
        done = browser.submit(f"/tugas/{task_id}", answer)
        assert done.status_code == 302, done.get_data(as_text=True)[-2000:]

    page = agency.get(f"/permohonan/{instance_id}").get_data(as_text=True)
    assert "Tahap: <strong>Selesai</strong>" in page
    for _, title, _, _ in STEPS:
        assert title in page  # the timeline names each step as the model does
    agency.submit("/bahasa", {"lang": "en", "next": "/permohonan"}, page="/permohonan")
    english = agency.get(f"/permohonan/{instance_id}").get_data(as_text=True)
    assert "Check the room is free" in english and "Approve the room booking" in english  # nameEn
    agency.submit("/bahasa", {"lang": "id", "next": "/permohonan"}, page="/permohonan")
    tracking = re.search(r'id="tracking-link" type="text" readonly value="http://127.0.0.1:5000(/lacak/[^"]+)"', page)
    public = pages(None).get(tracking.group(1)).get_data(as_text=True)
    assert all(title in public for _, title, _, _ in STEPS)
    listing = pages("manager").get("/pemantauan/permohonan").get_data(as_text=True)
    assert f"/pemantauan/permohonan/{instance_id}" in listing and REQUEST["topic"] in listing
    detail = pages("manager").get(f"/pemantauan/permohonan/{instance_id}").get_data(as_text=True)
    assert all(title in detail for _, title, _, _ in STEPS)
    board = pages("manager").get(f"/dasbor?proses={KEY}").get_data(as_text=True)
    assert all(title in board for _, title, _, _ in STEPS)  # the dashboard's steps are this model's
    assert pages("manager").get("/dasbor?proses=no_such_process").status_code == 404


def test_with_one_process_deployed_the_request_page_shows_its_form(pages):
    page = pages("opd.dinkes").get("/permohonan/baru")
    assert page.status_code == 200 and 'name="topic"' in page.get_data(as_text=True)
    assert pages("opd.dinkes").get("/permohonan/baru?proses=no_such_process").status_code == 404


def _task_ids(browser) -> set:
    return set(TASK_LINK.findall(browser.get("/kotak-masuk").get_data(as_text=True)))


def _open_tasks(browser, instance_id: str) -> set:
    engine = browser.engine
    return {t.id for t in engine.get_instance(instance_id, engine.actor("admin")).tasks}
