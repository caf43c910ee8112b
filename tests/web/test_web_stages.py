"""The stage the engine names shows on the agency's list, the request page,
the tracking page and the API alike."""
import re

from tests.web.flow import PageSop


def _listing_stage(pages, username="opd.dinkes") -> str:
    page = pages(username).get("/permohonan").get_data(as_text=True)
    return re.search(r"Tahap: <strong>([^<]*)</strong>", page).group(1)


def test_the_agencys_list_says_whom_the_request_waits_for(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    assert _listing_stage(pages) == "Menunggu Kepala Dinas: Disposisi Kadis ke Kabid"
    assert _listing_stage(pages, "kadis") == "Menunggu tindakan Anda: Disposisi Kadis ke Kabid"
    detail = pages("opd.dinkes").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "Menunggu Kepala Dinas: Disposisi Kadis ke Kabid" in detail


def test_the_agency_sees_it_must_act_and_the_public_does_not_read_you(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    while sop.ready() and sop.ready()[0].lane != "OPD":
        sop.complete_next()
    assert _listing_stage(pages).startswith("Menunggu tindakan Anda: ")
    assert _listing_stage(pages, "kabid") == "Menunggu tindakan OPD pemohon"
    engine = sop.engine
    token = engine.tracking.token_for(sop.instance_id, engine.actor("opd.dinkes"))
    public = pages(None).get(f"/lacak/{token}").get_data(as_text=True)
    assert "Menunggu tindakan OPD pemohon" in public and "Menunggu tindakan Anda" not in public


def test_an_ended_request_reads_its_outcome_in_english_too(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    while sop.ready():
        sop.complete_next()
    assert _listing_stage(pages) == "Selesai: rapat Zoom dibuat dan surat tanggapan dikirim"
    view = sop.engine.list_instances(sop.engine.actor("opd.dinkes")).items[0]
    assert view.stage.words("en") == "Done: Zoom meeting created and response letter sent"


def test_pages_name_the_agency_in_full(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    task = sop.ready()[0]
    for page in (pages("opd.dinkes").get("/permohonan"), pages("kadis").get(f"/permohonan/{sop.instance_id}"),
                 pages("kadis").get(f"/tugas/{task.id}")):
        text = page.get_data(as_text=True)
        assert "Dinas Kesehatan Kota Tarakan" in text and "DINKES" not in text


def test_the_managers_list_names_the_same_stage(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    page = pages("manager").get("/pemantauan/permohonan").get_data(as_text=True)
    assert "<strong>Menunggu Kepala Dinas: Disposisi Kadis ke Kabid</strong>" in page


def test_an_english_request_page_names_the_step_in_english(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    agency = pages("opd.dinkes")
    agency.submit("/bahasa", {"lang": "en", "next": "/permohonan"}, page="/permohonan")
    page = agency.get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "Waiting for the Head of Agency: Head of agency&#39;s disposition to the division head" in page
