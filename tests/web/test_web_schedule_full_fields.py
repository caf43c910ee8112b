"""Schedule full asks only what matters: the choice, another time, the note. The
request's own fields keep their stored values, whatever the page leaves out."""
import re

from tests.web.test_web_schedule_full import _full

ASKED = re.compile(r'name="([a-z_]+)"')


def _asked(page: str) -> set[str]:
    form = page[page.index('enctype="multipart/form-data"'):]
    form = form[:form.index("</form>")]
    return set(ASKED.findall(form)) - {"csrf_token", "instance_id"}


def test_the_page_asks_the_choice_the_time_and_one_note(pages, clock):
    sop, task = _full(pages, clock)
    page = pages("opd.dishub").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert _asked(page) == {"action", "start_at", "response_note"}
    assert page.count(">Catatan<") == 1 and "Topik rapat" not in page.split("Usulkan waktu lain")[1]


def test_ending_the_request_keeps_what_the_agency_asked_for(pages, clock):
    sop, task = _full(pages, clock)
    before = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin")).request
    agency = pages("opd.dishub")
    ended = agency.submit(f"/tugas/{task.id}", {"action": "decline", "response_note": "Acara ditunda"})
    assert ended.status_code == 302
    agency.work()
    view = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin"))
    assert view.summary.status == "completed" and view.request["response_note"] == "Acara ditunda"
    kept = ("topic", "start_at", "duration_minutes", "participants", "letter_number", "letter_date")
    assert {k: view.request[k] for k in kept} == {k: before[k] for k in kept}


def test_proposing_without_a_new_time_is_refused_on_the_time(pages, clock):
    sop, task = _full(pages, clock)
    refused = pages("opd.dishub").submit(f"/tugas/{task.id}", {"action": "reschedule"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="e-start_at"' in page
    assert [t.id for t in sop.ready()] == [task.id]
