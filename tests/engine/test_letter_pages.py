"""The letter's pages as images: made by the worker when it stores the konsep and
the signed letter, shown to who may see the task, never laid out when read."""
import pytest

from engine import Forbidden, NotFound
from engine.letters import page_images
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, OFFICE, to_draft, to_signature

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def office_engine(make_engine):
    return make_engine(settings={"letters": OFFICE})


def test_every_page_of_a_pdf_becomes_a_png():
    pages = page_images.rasterise(_two_page_pdf())
    assert [p.page for p in pages] == [1, 2]
    assert all(p.png.startswith(PNG) and 800 < p.width < 1000 and p.height > p.width for p in pages)


def test_a_file_that_is_no_pdf_is_refused():
    with pytest.raises(ValueError):
        page_images.rasterise(b"not a pdf")


def test_the_review_shows_the_stored_konsep_as_images_only_once_the_worker_stored_it(office_engine, clock):
    d = Driver(office_engine)
    to_draft(d, clock)
    draft = d.ready()["T07_draft_letter"]
    d.engine.complete_task(draft.id, DRAFT, d.actor("subkoordinator"))  # the worker has not run
    review = d.ready()["T08_review_draft"]
    waiting = d.engine.letters.task_letter(review.id, d.actor("kabid"))
    assert (waiting.action, waiting.state, waiting.pages) == ("approve", "pending", ())
    d.work()
    shown = d.engine.letters.task_letter(review.id, d.actor("kabid"))
    assert (shown.action, shown.state, [p for p, _w, _h in shown.pages]) == ("approve", "ready", [1])
    png = d.engine.letters.task_letter_page(review.id, shown.document_id, 1, d.actor("kabid"))
    assert png.startswith(PNG)
    with pytest.raises(NotFound):
        d.engine.letters.task_letter_page(review.id, shown.document_id, 2, d.actor("kabid"))
    with pytest.raises(NotFound):
        d.engine.letters.task_letter_page(review.id, shown.document_id + 1000, 1, d.actor("kabid"))


def test_a_stored_konsep_waits_until_its_job_has_recorded_it(office_engine, clock):
    """Between storing the PDF and writing the instance the job still runs: a decision
    offered then would lose the race to it, so the review says the letter is being made."""
    from sqlalchemy import update
    from engine.storage.models import Job
    d = Driver(office_engine)
    to_draft(d, clock)
    d.engine.complete_task(d.ready()["T07_draft_letter"].id, DRAFT, d.actor("subkoordinator"))
    d.work()
    review = d.ready()["T08_review_draft"]
    with d.engine.db.transaction() as session:
        session.execute(update(Job).where(Job.element_id == "@letter/konsep").values(status="running"))
    assert d.engine.letters.task_letter(review.id, d.actor("kabid")).state == "pending"
    with d.engine.db.transaction() as session:
        session.execute(update(Job).where(Job.element_id == "@letter/konsep").values(status="done"))
    assert d.engine.letters.task_letter(review.id, d.actor("kabid")).state == "ready"


def test_the_konsep_is_shown_to_staff_only(office_engine, clock):
    d = Driver(office_engine)
    to_signature(d, clock)
    signing = d.ready()["T09_sign_letter"]
    assert d.engine.letters.task_letter(signing.id, d.actor("kadis")).action == "sign"
    for agency in ("opd.dinkes", "opd.disdik"):  # its own agency (not staff) and another one
        with pytest.raises((NotFound, Forbidden)):
            d.engine.letters.task_letter(signing.id, d.actor(agency))


def test_the_receipt_shows_the_signed_letter_sent(office_engine, clock):
    d = Driver(office_engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    receipt = d.ready("opd.dinkes")["T10_acknowledge_receipt"]
    shown = d.engine.letters.task_letter(receipt.id, d.actor("opd.dinkes"))
    [sent] = [x for x in d.instance().letters if x["kind"] == "surat_tanggapan"]
    assert (shown.action, shown.state, shown.letter_id, shown.number) == ("receive", "ready", sent["id"],
                                                                          sent["number"])
    assert shown.pages and d.engine.letters.task_letter_page(
        receipt.id, shown.document_id, 1, d.actor("opd.dinkes")).startswith(PNG)
    with pytest.raises(NotFound):
        d.engine.letters.task_letter(receipt.id, d.actor("opd.disdik"))


def test_the_signed_letters_page_image_keeps_its_qr_readable(office_engine, clock):
    """Page images are 256-colour PNGs (a third of the bytes): the QR on the signed
    letter's page still reads as the verification link the PDF carries."""
    import io

    import zxingcpp
    from PIL import Image

    d = Driver(office_engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    receipt = d.ready("opd.dinkes")["T10_acknowledge_receipt"]
    shown = d.engine.letters.task_letter(receipt.id, d.actor("opd.dinkes"))
    page = Image.open(io.BytesIO(d.engine.letters.task_letter_page(receipt.id, shown.document_id, 1,
                                                                   d.actor("opd.dinkes"))))
    assert page.mode == "P" and len(page.getcolors(256) or ()) <= 256
    [code] = [c.text for c in zxingcpp.read_barcodes(page) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert "/verifikasi/" in code


def _two_page_pdf() -> bytes:
    """Two blank A4 pages."""
    import io

    import pypdfium2
    document = pypdfium2.PdfDocument.new()
    for _ in range(2):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()
