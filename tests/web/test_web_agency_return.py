"""The agency's side of a request the Kadis sends back: the reason on its task,
and its own request's page after it acts (never an empty inbox)."""
from tests.web.flow import PageSop, html_form

REASON = "Lampirkan daftar peserta rapat"


def _returned(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    sop.complete_next(decision="return", reason=REASON)
    return sop


def test_the_agency_reads_why_its_request_came_back(pages, clock):
    sop = _returned(pages, clock)
    task = sop.ready()[0]
    assert task.lane == "OPD"
    page = pages("opd.dinkes").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Dikembalikan untuk dilengkapi:" in page and REASON in page


def test_a_returned_reason_is_shown_only_on_the_agency_task(pages, clock):
    sop = _returned(pages, clock)
    sop.complete_next()  # the agency sends it again; the Kadis has it now
    task = sop.ready()[0]
    page = pages("kadis").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert "Dikembalikan untuk dilengkapi:" not in page


def test_after_acting_the_agency_lands_on_its_request(pages, clock):
    sop = _returned(pages, clock)
    task = sop.ready()[0]
    agency = pages("opd.dinkes")
    detail = sop.engine.get_task(task.id, sop.engine.actor("opd.dinkes"))
    response = agency.submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/permohonan/{sop.instance_id}")


def test_an_official_still_lands_on_the_inbox(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    detail = sop.engine.get_task(task.id, sop.engine.actor("kadis"))
    response = pages("kadis").submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock))
    assert response.headers["Location"].endswith("/kotak-masuk")


def test_the_news_asking_the_agency_to_act_is_read_once_it_acts(pages, clock):
    sop = _returned(pages, clock)
    agency = sop.engine.actor("opd.dinkes")
    waiting = [n for n in sop.engine.notifications(agency, unread_only=True) if n.kind == "agency_task"]
    assert len(waiting) == 1
    sop.complete_next()
    assert [n for n in sop.engine.notifications(agency, unread_only=True) if n.kind == "agency_task"] == []
    assert len(sop.engine.notifications(agency)) >= 1  # kept, only read
