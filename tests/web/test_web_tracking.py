"""The public tracking link: made for the agency, opened without signing in,
showing the stage and (once fulfilled) the meeting and response letter, and
nothing private: not the host's start link, notes, officials' names, or
another agency's request."""
import re

import pytest

from engine.services.meeting import ManualProvider
from tests.web.flow import PageSop

LINK = re.compile(r'id="tracking-link" type="text" readonly value="http://127.0.0.1:5000/lacak/([A-Za-z0-9_-]+)"')
START_URL = "https://zoom.us/s/12345678901?zak=host-secret-start-token"
HOST_EMAIL = "zoom1@tarakankota.go.id"
INTERNAL_NOTE = "Catatan internal Kadis tidak untuk OPD"


class HostLinkProvider(ManualProvider):
    """Makes the meeting at once, with a host start link like Zoom's."""

    name = "stub"

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key) -> dict:
        return {"meeting_id": "12345678901", "passcode": "x7Yq2a", "join_url": "https://zoom.us/j/12345678901",
                "start_url": START_URL, "host_id": host_id, "host_email": HOST_EMAIL}


@pytest.fixture
def app(make_app):
    return make_app(meeting_provider=HostLinkProvider())


def _token(pages, sop, user="opd.dinkes") -> str:
    page = pages(user).get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    found = LINK.search(page)
    assert found, "no tracking link on the request page"
    return found.group(1)


def _fulfil(sop):
    done = []
    while sop.ready() and len(done) < 20:
        task = sop.ready()[0]
        done.append(sop.complete_next(**({"note": INTERNAL_NOTE} if task.name == "T02_disposition_kadis" else {})))
    assert sop.status() == ("completed", "fulfilled")


def test_the_agency_gets_a_long_random_link_that_stays_the_same(pages, clock):
    sop = PageSop(pages, clock)
    assert sop.submit().status_code == 302
    token = _token(pages, sop)
    assert len(token) >= 32 and token == _token(pages, sop)
    other = PageSop(pages, clock)
    assert other.submit(topic="Rapat kedua").status_code == 302
    assert _token(pages, other) != token


def test_before_fulfilment_the_page_shows_the_stage_and_no_meeting(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit(topic="Rapat koordinasi stunting")
    response = pages(None).get(f"/lacak/{_token(pages, sop)}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Menunggu Kepala Dinas: Disposisi Kadis ke Kabid" in page and "Permohonan diajukan" in page
    assert "Rapat koordinasi stunting" in page and "Dinas Kesehatan Kota Tarakan" in page
    assert "12345678901" not in page and "Kode sandi" not in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert response.headers["Cache-Control"] == "no-store"


def test_once_fulfilled_it_shows_how_to_join_and_the_letter_but_nothing_private(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    token = _token(pages, sop)
    _fulfil(sop)
    visitor = pages(None)
    response = visitor.get(f"/lacak/{token}")
    page = response.get_data(as_text=True)
    assert "https://zoom.us/j/12345678901" in page and "x7Yq2a" in page and "12345678901" in page
    assert "Disposisi Kadis ke Kabid" in page and "Selesai: rapat Zoom dibuat" in page
    for private in (START_URL, "zak=", "start_url", HOST_EMAIL, INTERNAL_NOTE, "zoom-1", "zoom-2",
                    "kadis", "kabid", "subkoordinator", "Kepala Dinas Kominfo (demo)", "budi@example.go.id"):
        assert private not in page, private
    link = re.search(rf'href="(/lacak/{token}/surat/\d+\.pdf)"', page)
    assert link, "no letter download on the tracking page"
    pdf = visitor.get(link.group(1))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Referrer-Policy"] == "no-referrer"


def test_letters_only_through_their_own_token(pages, clock):
    first = PageSop(pages, clock)
    first.submit()
    _fulfil(first)
    letter = re.search(r"/surat/(\d+)\.pdf", pages(None).get(f"/lacak/{_token(pages, first)}").get_data(as_text=True))
    second = PageSop(pages, clock, agency_user="opd.disdik")
    second.submit(topic="Rapat pendidikan")
    other_token = _token(pages, second, "opd.disdik")
    assert pages(None).get(f"/lacak/{other_token}/surat/{letter.group(1)}.pdf").status_code == 404


def test_another_agency_never_sees_the_token(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    token = _token(pages, sop)
    other = pages("opd.disdik").get(f"/permohonan/{sop.instance_id}")
    assert other.status_code == 404 and token not in other.get_data(as_text=True)
    assert token not in pages("opd.disdik").get("/permohonan").get_data(as_text=True)
    assert pages("kadis").get(f"/permohonan/{sop.instance_id}").status_code == 200
    assert token not in pages("kadis").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 200, "%00%27--"])
def test_an_unknown_token_is_a_plain_404(pages, token):
    response = pages(None).get(f"/lacak/{token}")
    assert response.status_code == 404
    assert "Tautan pelacakan ini tidak dikenal" in response.get_data(as_text=True)
    assert response.headers["X-Robots-Tag"].startswith("noindex")


def test_guessing_tokens_is_slowed_down_per_address(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    token = _token(pages, sop)
    visitor = pages(None)
    for n in range(20):
        assert visitor.get(f"/lacak/{'g' * 40}{n:03d}").status_code == 404
    assert visitor.get(f"/lacak/{'g' * 43}").status_code == 429
    assert visitor.get(f"/lacak/{token}").status_code == 429  # blocked for every token meanwhile
    clock.advance(minutes=16)
    assert visitor.get(f"/lacak/{token}").status_code == 200
