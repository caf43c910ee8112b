"""Acting officials (Plt): the Kadis names a deputy for some days; meanwhile the
Kadis's tasks are in the deputy's inbox too, and what the deputy completes is
recorded on behalf of the Kadis and shown as such."""
from datetime import date

from tests.web.flow import TASK_LINK, PageSop, html_form

DEPUTY = "subkoordinator"


def _name_deputy(pages, first: str, last: str, official: str = "kadis"):
    return pages(official).submit("/plt", {"deputy": DEPUTY, "starts_on": first, "ends_on": last}, page="/plt")


def _kadis_task(pages, clock):
    sop = PageSop(pages, clock)
    assert sop.submit().status_code == 302
    task = sop.ready()[0]
    assert task.name == "T02_disposition_kadis"
    return sop, task


def test_the_deputy_sees_the_lane_only_during_the_range(pages, clock):
    sop, task = _kadis_task(pages, clock)  # Monday 7 December 2026
    assert _name_deputy(pages, "2026-12-08", "2026-12-09").status_code == 302
    deputy = pages(DEPUTY)
    assert task.id not in TASK_LINK.findall(deputy.get("/kotak-masuk").get_data(as_text=True))
    assert deputy.get(f"/tugas/{task.id}").status_code == 403
    clock.advance(days=1)  # Tuesday: in range
    inbox = deputy.get("/kotak-masuk").get_data(as_text=True)
    assert task.id in TASK_LINK.findall(inbox) and "Plt. Kepala Dinas" in inbox
    page = deputy.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "sebagai Plt. Kepala Dinas" in page
    assert task.id in TASK_LINK.findall(pages("kadis").get("/kotak-masuk").get_data(as_text=True))
    clock.advance(days=2)  # Thursday: over
    assert task.id not in TASK_LINK.findall(deputy.get("/kotak-masuk").get_data(as_text=True))
    assert deputy.get(f"/tugas/{task.id}").status_code == 403


def test_a_completion_by_the_deputy_is_on_behalf_of_the_official(pages, clock):
    sop, task = _kadis_task(pages, clock)
    _name_deputy(pages, "2026-12-07", "2026-12-11")
    deputy = pages(DEPUTY)
    detail = sop.engine.get_task(task.id, sop.engine.actor(DEPUTY))
    answer = deputy.submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock), page=f"/tugas/{task.id}")
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    events = sop.engine.events(sop.instance_id, sop.engine.actor("admin"))
    done = next(e for e in events if e.type == "task_completed" and e.task == "T02_disposition_kadis")
    assert (done.actor, done.on_behalf_of) == (DEPUTY, "kadis")
    assert sop.engine.verify_audit(sop.instance_id).ok
    page = pages("kabid").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "subkoordinator · a.n. Kepala Dinas, selaku Plt." in page
    next_task = sop.ready()[0]
    assert next_task.name == "T03_disposition_kabid"
    kabid_page = pages("kabid").get(f"/tugas/{next_task.id}").get_data(as_text=True)
    assert '<div class="meta">a.n. Kepala Dinas, selaku Plt.</div>' in kabid_page  # down the chain


def test_the_official_doing_their_own_task_is_not_on_behalf(pages, clock):
    sop, task = _kadis_task(pages, clock)
    _name_deputy(pages, "2026-12-07", "2026-12-11")
    sop.complete_next()
    done = [e for e in sop.engine.events(sop.instance_id, sop.engine.actor("admin")) if e.type == "task_completed"]
    assert (done[0].actor, done[0].on_behalf_of) == ("kadis", None)
    assert "selaku Plt." not in pages("kabid").get(f"/tugas/{sop.ready()[0].id}").get_data(as_text=True)


def test_ending_the_delegation_takes_the_lane_away_at_once(pages, clock):
    sop, task = _kadis_task(pages, clock)
    _name_deputy(pages, "2026-12-07", "2026-12-11")
    deputy = pages(DEPUTY)
    assert deputy.get(f"/tugas/{task.id}").status_code == 200
    given = sop.engine.delegations.given_by(sop.engine.actor("kadis"))
    assert given[0].current and given[0].starts_on == date(2026, 12, 7)
    pages("kadis").submit(f"/plt/{given[0].id}/akhiri", {}, page="/plt")
    assert deputy.get(f"/tugas/{task.id}").status_code == 403


def test_bad_ranges_and_deputies_are_named(pages, clock):
    kadis = pages("kadis")
    cases = [({"deputy": DEPUTY, "starts_on": "2026-12-10", "ends_on": "2026-12-08"}, "ends_on",
              "tidak boleh sebelum"),
             ({"deputy": DEPUTY, "starts_on": "2026-11-01", "ends_on": "2026-11-30"}, "ends_on", "sudah lewat"),
             ({"deputy": "kadis", "starts_on": "2026-12-08", "ends_on": "2026-12-09"}, "deputy", "pegawai aktif lain"),
             ({"deputy": "opd.dinkes", "starts_on": "2026-12-08", "ends_on": "2026-12-09"}, "deputy",
              "pegawai aktif lain"),
             ({"deputy": DEPUTY, "starts_on": "kemarin", "ends_on": ""}, "starts_on", "TTTT-BB-HH")]
    for form, field, words in cases:
        answer = kadis.submit("/plt", form, page="/plt")
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and f'id="{field}-error"' in page and words in page, form
    assert kadis.engine.delegations.given_by(kadis.engine.actor("kadis")) == []
    _name_deputy(pages, "2026-12-08", "2026-12-10")
    overlap = kadis.submit("/plt", {"deputy": "staf", "starts_on": "2026-12-10", "ends_on": "2026-12-12"},
                           page="/plt")
    assert overlap.status_code == 422 and "Sudah ada Plt" in overlap.get_data(as_text=True)


def test_only_a_kadis_or_kabid_names_a_deputy(pages):
    assert pages("kabid").get("/plt").status_code == 200
    for username in ("staf", "subkoordinator", "admin", "opd.dinkes"):
        assert pages(username).get("/plt").status_code == 403, username
