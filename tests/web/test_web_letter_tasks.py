"""The document at the centre: the Kabid's review and the Kadis's signature show
the letter's pages as images the worker made, with actions named for what they
do; signing needs a confirmation; the agency's receipt shows the signed letter
and the meeting."""
import re

from tests.web.flow import PageSop

PAGE_IMAGE = re.compile(r'<img src="(/tugas/[0-9a-f-]{36}/surat/\d+/halaman-(\d+)\.png)"')
PNG = b"\x89PNG\r\n\x1a\n"


def _to(sop, element: str):
    """Walk the request through its pages until ``element`` is ready; that task."""
    sop.submit()
    while (task := sop.ready()[0]).name != element:
        sop.complete_next()
    return task


def _signed(sop) -> bool:
    events = sop.engine.events(sop.instance_id, sop.engine.actor("manager"))
    return any(e.type == "letter_signed" for e in events)


def test_the_review_shows_the_konsep_pages_to_the_kabid_only(pages, clock):
    sop = PageSop(pages, clock)
    review = _to(sop, "T08_review_draft")
    page = pages("kabid").get(f"/tugas/{review.id}").get_data(as_text=True)
    images = PAGE_IMAGE.findall(page)
    assert [number for _src, number in images] == ["1"] and "konsep.pdf" in page
    src = images[0][0]
    shown = pages("kabid").get(src)
    assert shown.status_code == 200 and shown.mimetype == "image/png" and shown.data.startswith(PNG)
    assert pages("opd.disdik").get(src).status_code == 404  # another agency: no such request
    assert pages("opd.dinkes").get(src).status_code in (403, 404)  # the konsep is the office's own
    assert pages("kabid").get(src.replace("halaman-1", "halaman-2")).status_code == 404
    assert 'type="radio" name="decision"' not in page
    assert '<button type="submit" name="decision" value="approve">Setujui</button>' in page
    assert 'value="return" class="secondary">Kembalikan untuk perbaikan</button>' in page


def test_returning_asks_for_the_note_and_approving_goes_to_the_kadis(pages, clock):
    sop = PageSop(pages, clock)
    review = _to(sop, "T08_review_draft")
    kabid = pages("kabid")
    refused = kabid.submit(f"/tugas/{review.id}", {"decision": "return", "note": ""})
    assert refused.status_code == 422 and 'id="e-note"' in refused.get_data(as_text=True)
    assert kabid.submit(f"/tugas/{review.id}", {"decision": "approve"}).status_code == 302
    kabid.work()
    assert [t.name for t in sop.ready()] == ["T09_sign_letter"]


def test_nothing_is_signed_without_the_confirmation(pages, clock):
    sop = PageSop(pages, clock)
    signing = _to(sop, "T09_sign_letter")
    kadis = pages("kadis")
    page = kadis.get(f"/tugas/{signing.id}").get_data(as_text=True)
    assert PAGE_IMAGE.search(page)
    assert f'formaction="/tugas/{signing.id}/tandatangani">Tandatangani</button>' in page
    for path, form in ((f"/tugas/{signing.id}", {"decision": "approve"}),  # the task's own form
                       (f"/tugas/{signing.id}/tandatangani", {"decision": "approve"})):  # no confirmation
        asked = kadis.submit(path, form, page=f"/tugas/{signing.id}")
        body = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "Tandatangani surat ini</button>" in body and PAGE_IMAGE.search(body)
        kadis.work()
        assert not _signed(sop) and [t.id for t in sop.ready()] == [signing.id]
    confirmed = kadis.submit(f"/tugas/{signing.id}/tandatangani", {"confirm": "yes"})
    assert confirmed.status_code == 302
    kadis.work()
    assert _signed(sop) and [t.name for t in sop.ready()] == ["T10_acknowledge_receipt"]


def test_the_kadis_returns_the_letter_without_a_confirmation(pages, clock):
    sop = PageSop(pages, clock)
    signing = _to(sop, "T09_sign_letter")
    returned = pages("kadis").submit(f"/tugas/{signing.id}", {"decision": "return", "note": "Perbaiki perihal surat"})
    assert returned.status_code == 302
    pages("kadis").work()
    assert not _signed(sop) and [t.name for t in sop.ready()] == ["T07_draft_letter"]


def test_the_receipt_shows_the_signed_letter_and_the_meeting(pages, clock):
    sop = PageSop(pages, clock)
    receipt = _to(sop, "T10_acknowledge_receipt")
    agency = pages("opd.dinkes")
    page = agency.get(f"/tugas/{receipt.id}").get_data(as_text=True)
    [(src, number)] = PAGE_IMAGE.findall(page)
    assert agency.get(src).data.startswith(PNG) and pages("opd.disdik").get(src).status_code == 404
    [letter] = [x for x in sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin")).letters
                if x["kind"] == "surat_tanggapan"]
    assert f'/permohonan/{sop.instance_id}/surat/{letter["id"]}.pdf">Unduh surat tanggapan (PDF)' in page
    meeting = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin")).meeting
    assert meeting["meeting_id"] in page and letter["number"] in page
    assert agency.submit(f"/tugas/{receipt.id}", {"received": "on"}).status_code == 302


def test_the_approval_and_the_signature_are_listed_once(pages, clock):
    sop = PageSop(pages, clock)
    _to(sop, "T10_acknowledge_receipt")
    for user in ("opd.dinkes", "kadis"):
        page = pages(user).get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
        entries = re.findall(r"<li>\s*<strong>([^<]+)</strong>", page[page.index('class="timeline"'):])
        assert entries.count("Surat tanggapan disetujui") == 1 and entries.count("Surat tanggapan ditandatangani") == 1
        assert not {"Periksa draf &amp; laporkan ke Kadis (maks. 1 hari)", "Tandatangani surat tanggapan"} & set(entries)
        layouts = [e for e in entries if "(PDF) disiapkan" in e]
        assert layouts == ([] if user.startswith("opd.") else ["Konsep surat tanggapan (PDF) disiapkan",
                                                               "Surat tanggapan bertanda tangan (PDF) disiapkan"])


def test_the_decisions_on_the_letter_read_for_what_they_did(pages, clock):
    sop = PageSop(pages, clock)
    signing = _to(sop, "T09_sign_letter")
    kadis = pages("kadis")
    assert kadis.submit(f"/tugas/{signing.id}", {"decision": "return", "note": "Perbaiki perihal"}).status_code == 302
    kadis.work()
    page = kadis.get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert re.search(r"Pemeriksaan Kepala Dinas</strong>\s*— dikembalikan untuk perbaikan", page)
    assert "dikembalikan ke OPD" not in page


def test_a_meeting_made_by_hand_is_no_failure_in_the_timeline(pages, clock):
    sop = PageSop(pages, clock)
    _to(sop, "T05_enter_meeting_details")  # the default provider makes meetings by hand
    page = pages("staf").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "Rapat dibuat secara manual: diserahkan kepada Staf" in page and "gagal" not in page


def test_a_letter_stored_without_page_images_offers_its_pdf(pages, clock):
    from sqlalchemy import delete

    from engine.storage.letter_models import LetterPageImage
    sop = PageSop(pages, clock)
    review = _to(sop, "T08_review_draft")
    with sop.engine.db.transaction() as session:  # as a konsep stored before page images were made
        session.execute(delete(LetterPageImage))
    page = pages("kabid").get(f"/tugas/{review.id}").get_data(as_text=True)
    assert not PAGE_IMAGE.search(page) and "Gambar halaman surat ini tidak tersedia" in page
    assert f"/permohonan/{sop.instance_id}/konsep.pdf" in page
