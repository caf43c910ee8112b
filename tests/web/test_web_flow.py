"""A whole request through the pages, every lane as its own user."""
from tests.web.flow import PageSop


def test_a_request_goes_from_submission_to_the_response_letter(pages, clock):
    sop = PageSop(pages, clock)
    assert sop.submit().status_code == 302
    done = []
    while sop.ready() and len(done) < 20:
        done.append(sop.complete_next().name)
    assert sop.status() == ("completed", "fulfilled"), done
    page = pages("opd.dinkes").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "Surat tanggapan" in page and "Unduh PDF" in page
    assert "start_url" not in page
