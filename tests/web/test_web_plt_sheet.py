"""The disposition sheet (lembar disposisi) marks a disposition an acting official
made: the official's position "a.n. ..., selaku Plt." beside the deputy's name."""
from tests.engine.documents import pdf_text
from tests.web.flow import PageSop, html_form

DEPUTY = "subkoordinator"


def _sheet(sop):
    return pdf_text(sop.engine.letters.disposition_pdf(sop.instance_id, sop.engine.actor("kabid")))


def test_the_sheet_names_the_official_a_deputy_disposed_for(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    pages("kadis").submit("/plt", {"deputy": DEPUTY, "starts_on": "2026-12-07", "ends_on": "2026-12-11"}, page="/plt")
    detail = sop.engine.get_task(task.id, sop.engine.actor(DEPUTY))
    answer = pages(DEPUTY).submit(f"/tugas/{task.id}", html_form(detail.form.schema, clock), page=f"/tugas/{task.id}")
    assert answer.status_code == 302
    sop.complete_next()  # the Kabid's own disposition
    sheet = _sheet(sop)
    assert "Subkoordinator e-Government (demo) a.n. Kepala Dinas, selaku Plt." in sheet
    assert sheet.count("selaku Plt.") == 1  # the Kabid disposed in person


def test_a_sheet_without_deputies_has_no_plt(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    sop.complete_next()
    sheet = _sheet(sop)
    assert "Kepala Dinas Kominfo (demo)" in sheet and "Plt." not in sheet
