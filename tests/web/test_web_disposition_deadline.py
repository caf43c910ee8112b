"""A disposition deadline before today (WITA, by the engine's clock) is refused
with a field-level error in the user's language; nothing is stored."""
import pytest

from tests.web.flow import PageSop, html_form


def _kadis_task(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    return sop, task, sop.engine.get_task(task.id, sop.engine.actor("kadis"))


@pytest.mark.parametrize("lang, text", [("id", "Batas waktu tidak boleh sebelum hari ini."),
                                        ("en", "The deadline must not be before today.")])
def test_a_past_deadline_is_named_on_the_page_in_the_users_language(pages, clock, lang, text):
    sop, task, detail = _kadis_task(pages, clock)  # Monday 7 December 2026, 09:00 WITA
    kadis = pages("kadis")
    kadis.submit("/bahasa", {"lang": lang, "next": "/kotak-masuk"}, page="/kotak-masuk")
    answer = kadis.submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock, {"deadline": "2026-12-06"}))
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="e-deadline"' in body and text in body
    assert sop.ready()[0].id == task.id  # nothing stored


def test_today_is_accepted_by_the_wita_day_not_the_utc_day(pages, clock):
    clock.advance(hours=-8, minutes=-30)  # Monday 00:30 WITA is still Sunday in UTC
    sop, task, detail = _kadis_task(pages, clock)
    answer = pages("kadis").submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock,
                                                                  {"deadline": "2026-12-07"}))
    assert answer.status_code == 302, answer.get_data(as_text=True)[-1500:]
    assert sop.ready()[0].name == "T03_disposition_kabid"

