"""The inbox: tasks by due time with near-due and overdue badges, counts, and
notifications with mark-read."""
from tests.web.flow import PageSop


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
