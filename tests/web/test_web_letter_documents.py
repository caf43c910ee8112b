"""The review page while the worker lays out the konsep: "sedang disiapkan",
no approval meanwhile, the preview link once it is stored."""
from tests.web.flow import PageSop, html_form


def test_the_review_page_says_the_konsep_is_being_prepared(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    while sop.ready()[0].name != "T07_draft_letter":
        sop.complete_next()
    draft = sop.ready()[0]
    writer = pages("subkoordinator")
    detail = sop.engine.get_task(draft.id, sop.engine.actor("subkoordinator"))
    assert writer.submit(f"/tugas/{draft.id}", html_form(detail.form.schema, clock)).status_code == 302
    review = sop.ready()[0]
    kabid = pages("kabid")
    page = kabid.get(f"/tugas/{review.id}").get_data(as_text=True)
    assert "sedang disiapkan" in page and "konsep.pdf" not in page and ">Setujui</button>" not in page
    form = html_form(sop.engine.get_task(review.id, sop.engine.actor("kabid")).form.schema, clock)
    refused = kabid.submit(f"/tugas/{review.id}", form)
    assert refused.status_code == 409 and "sedang disiapkan" in refused.get_data(as_text=True)
    assert sop.ready()[0].id == review.id  # nothing approved blind
    kabid.work()
    page = kabid.get(f"/tugas/{review.id}").get_data(as_text=True)
    assert "sedang disiapkan" not in page and "Pratinjau konsep surat tanggapan" in page
    assert kabid.submit(f"/tugas/{review.id}", form).status_code == 302
