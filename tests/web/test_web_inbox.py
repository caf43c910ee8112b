"""The inbox: tasks by due time with near-due and overdue badges, counts, and
notifications with mark-read."""
from engine import long_datetime
from tests.api.accounts import PASSWORD
from tests.web.flow import PageSop, html_form


def _staf_task(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    for _ in range(3):  # Kadis, Kabid, Subkoordinator: the Staf's 15-minute step is next
        sop.complete_next()
    return sop


def test_badges_follow_the_time_standard(pages, clock):
    sop = _staf_task(pages, clock)
    staf = pages("staf")
    page = staf.get("/kotak-masuk").get_data(as_text=True)
    assert "Tenggat: 7 Desember 2026 pukul 09.15 WITA" in page
    assert 'class="task ok"' in page
    clock.advance(minutes=12)
    page = staf.get("/kotak-masuk").get_data(as_text=True)
    assert 'class="task near"' in page and "Mendekati tenggat</span>" in page
    clock.advance(minutes=10)
    page = staf.get("/kotak-masuk").get_data(as_text=True)
    assert 'class="task overdue"' in page and "Lewat tenggat</span>" in page
    assert "<strong>1</strong> lewat tenggat" in page
    assert sop.ready()[0].lane == "Staf"


def test_tasks_are_sorted_by_due_time_and_counted_per_kind(pages, clock):
    first = _staf_task(pages, clock)
    clock.advance(minutes=5)
    _staf_task(pages, clock)
    page = pages("staf").get("/kotak-masuk").get_data(as_text=True)
    assert "<strong>2</strong> tugas" in page
    assert page.index(first.ready()[0].id) < page.rindex("/tugas/")


def test_an_escalation_shows_and_can_be_marked_read(pages, clock):
    sop = _staf_task(pages, clock)
    clock.advance(minutes=20)
    pages("staf").work()
    boss = pages("subkoordinator")
    page = boss.get("/kotak-masuk").get_data(as_text=True)
    assert "Eskalasi" in page and "1 belum dibaca" in page
    note = sop.engine.notifications(sop.engine.actor("subkoordinator"))[0]
    response = boss.submit(f"/notifikasi/{note.id}/dibaca", page="/kotak-masuk")
    assert response.status_code == 302
    page = boss.get("/kotak-masuk").get_data(as_text=True)
    assert "belum dibaca" not in page and "Tandai sudah dibaca" not in page


def test_each_row_shows_the_request_it_belongs_to(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit(topic="Rapat koordinasi posyandu", letter_number="440/123/DINKES")
    page = pages("kadis").get("/kotak-masuk").get_data(as_text=True)
    row = page[page.index('class="task '):page.index("</li>", page.index('class="task '))]
    assert "Rapat koordinasi posyandu" in row and "440/123/DINKES" in row
    assert "Dinas Kesehatan Kota Tarakan" in row
    meeting = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin")).summary.meeting_start
    assert long_datetime(meeting) in row and " WITA" in row  # day, date and time in WITA


def test_a_step_filter_keeps_only_that_steps_tasks(pages, clock):
    staf_sop = _staf_task(pages, clock)
    staf_task = staf_sop.ready()[0]
    browser = pages("staf")
    page = browser.get(f"/kotak-masuk?langkah={staf_task.name}").get_data(as_text=True)
    assert staf_task.id in page
    page = browser.get("/kotak-masuk?langkah=T02_disposition_kadis").get_data(as_text=True)
    assert staf_task.id not in page and "Tidak ada tugas yang menunggu Anda." in page


def test_the_next_task_of_the_same_request_opens_after_completing_one(pages, clock):
    sop = _staf_task(pages, clock)
    staf = pages("staf")
    task = sop.ready()[0]
    detail = sop.engine.get_task(task.id, sop.engine.actor("staf"))
    response = staf.submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock))
    following = [t for t in sop.ready() if t.lane == "Staf"]
    assert following, "the manual provider leaves the Staf a next step"
    assert response.headers["Location"].endswith(f"/tugas/{following[0].id}")


def test_an_agency_lands_on_its_requests_and_an_official_on_the_inbox(pages):
    for username, target in (("opd.dinkes", "/permohonan"), ("kabid", "/kotak-masuk")):
        browser = pages(None)
        browser.get("/masuk")
        response = browser.client.post("/masuk", data={"username": username, "password": PASSWORD,
                                                       "csrf_token": browser.token})
        assert response.headers["Location"].endswith(target)


def test_all_notifications_are_marked_read_at_once_and_read_ones_step_aside(pages, clock):
    _staf_task(pages, clock)
    clock.advance(minutes=11)
    pages("staf").work()  # the reminder
    second = _staf_task(pages, clock)
    clock.advance(minutes=11)
    pages("staf").work()  # the second request's reminder
    staf = pages("staf")
    page = staf.get("/kotak-masuk").get_data(as_text=True)
    assert "2 belum dibaca" in page and "Tandai semua sudah dibaca" in page
    assert "Pengingat: langkah" in page and second.instance_id in page
    assert staf.submit("/notifikasi/dibaca-semua", page="/kotak-masuk").status_code == 302
    page = staf.get("/kotak-masuk").get_data(as_text=True)
    assert "belum dibaca" not in page and "Tidak ada notifikasi baru." in page
    assert "Notifikasi yang sudah dibaca (2)" in page


def test_unread_notifications_are_grouped_per_request(pages, clock):
    first = _staf_task(pages, clock)
    clock.advance(minutes=11)
    pages("staf").work()  # the first request's reminder
    second = _staf_task(pages, clock)
    clock.advance(minutes=11)
    pages("staf").work()  # the second request's reminder
    page = pages("staf").get("/kotak-masuk").get_data(as_text=True)
    groups = page.split('class="note-group"')[1:]
    assert len(groups) == 2
    assert second.instance_id in groups[0] and first.instance_id in groups[1]  # newest first
