"""The public service-standard page (UU 25/2009)."""
import re


def test_the_service_standard_is_public_and_complete(pages):
    response = pages(None).get("/standar-layanan")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    steps = re.search(r'<ol class="steps">(.*?)</ol>', page, re.S).group(1)
    assert steps.count("<li>") == 10
    for words in ("Persyaratan", "15 menit", "1 hari", "Gratis", "Produk layanan", "Pengaduan",
                  "1 hari kerja sebelum rapat"):
        assert words in page, words


def test_pages_carry_no_inline_script_and_escape_what_users_typed(pages, clock):
    from tests.web.flow import PageSop
    sop = PageSop(pages, clock)
    sop.submit(topic="<script>alert(1)</script>")
    page = pages("kadis").get(f"/permohonan/{sop.instance_id}").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
