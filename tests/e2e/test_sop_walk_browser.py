"""The whole SOP in chromium, once at desktop width (1280 px) and once on a phone
(390 px): the agency asks for a time that is full and takes an offered
alternative with one click, the Kadis, Kabid and Subkoordinator dispose, the
meeting is made at the fake Zoom, Staf reports it, the Subkoordinator drafts the
letter, the Kabid approves it, the Kadis signs it and the agency confirms
receipt. Every inbox row and task page is checked for the context a person
needs to act, the agency's list for the stage at each point it looks, and on the
phone every page for sideways scrolling."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from engine import Worker
from tests.api.accounts import PASSWORD
from tests.api.client import Api
from tests.api.sop_http import HttpSop
from tests.engine.zoom_setup import zoom, zoom_settings  # noqa: F401  (fixture reused)

WIDTHS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
TOPIC = "Rapat koordinasi percepatan penurunan stunting"
AGENCY = "Dinas Kesehatan Kota Tarakan"
LETTER = "400.7/512/DINKES/2026"
ASKED = "Rabu, 9 Desember 2026 pukul 10.00 WITA"  # the slot both demo hosts hold already
DUE = re.compile(r"Tenggat: \d{1,2} Desember 2026 pukul \d\d\.\d\d WITA")
NOTE = "Mohon dijadwalkan, prioritas Walikota."
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _context(words: str, meeting: str, due: bool) -> None:
    assert TOPIC in words and AGENCY in words and LETTER in words and meeting in words, words
    assert (DUE.search(words) is not None) if due else ("Tanpa tenggat" in words), words


class Person:
    """One demo user in their own browser context at the walk's width."""

    def __init__(self, browser, base: str, username: str, width: str, shots: str | None):
        self.base, self.username, self.width, self.shots = base, username, width, shots
        self.context = browser.new_context(viewport=WIDTHS[width], locale="id-ID")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.go("/masuk")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(PASSWORD)
        self.page.get_by_role("button", name="Masuk").click()
        landing = "/permohonan" if username.startswith("opd.") else "/kotak-masuk"
        self.page.wait_for_url(f"{base}{landing}")
        self.landed()

    def go(self, path: str) -> None:
        """Open ``path`` and check the page."""
        self.page.goto(f"{self.base}{path}")
        self.landed()

    def landed(self) -> None:
        """Every page fits the phone's width: nothing scrolls sideways."""
        self.page.wait_for_load_state()
        if self.width == "390":
            wide = self.page.evaluate("document.documentElement.scrollWidth")
            assert wide <= self.page.evaluate("window.innerWidth"), (self.page.url, wide)

    def text(self) -> str:
        """The visible text of the page."""
        return self.page.inner_text("body")

    def shot(self, name: str) -> None:
        """A full-page screenshot when screenshots were asked for (VICON_SCREENSHOTS)."""
        if self.shots:
            self.page.screenshot(path=f"{self.shots}/{self.width}-{name}.png", full_page=True)

    def open_task(self, title: str, meeting: str, due: bool = False) -> str:
        """Open the walked request's task ``title`` from the inbox, its row and
        page checked for the request's context: topic, agency, letter number, the
        meeting time ``meeting`` and the due time (steps with a time standard) or
        "Tanpa tenggat". Returns the task page's text."""
        self.go("/kotak-masuk")
        row = self.page.locator("li.task").filter(has_text=TOPIC).filter(has_text=title)
        assert row.count() == 1, self.text()
        _context(row.inner_text(), meeting, due)
        self.click(row.get_by_role("link", name=title))
        assert "/tugas/" in self.page.url
        assert self.page.locator("h1").inner_text() == title
        words = self.text()
        _context(words, meeting.split(", ", 1)[-1], due)
        return words

    def send(self, name: str = "Kirim") -> None:
        """Submit the page's form and land on the next page."""
        self.click(self.page.get_by_role("button", name=name, exact=True))
        assert "Periksa isian" not in self.text(), self.text()

    def click(self, target) -> None:
        """Click what leads to another page and check the page it leads to."""
        with self.page.expect_navigation():
            target.click()
        self.landed()

    def letter_shown(self) -> None:
        """The letter's first page is on the page as an image that loaded."""
        first = self.page.locator(".letter-pages img").first
        first.wait_for()
        assert first.evaluate("i => i.complete && i.naturalWidth > 0"), self.page.url

    def stage(self) -> str:
        """The walked request's row in the agency's list; a row that waits for the
        agency stands out (marked ``act``), the others do not."""
        self.go("/permohonan")
        row = self.page.locator("ul.requests > li").filter(has_text=TOPIC)
        assert row.count() == 1, self.text()
        words = row.inner_text()
        marked = "act" in (row.get_attribute("class") or "").split()
        assert marked == ("Menunggu tindakan Anda" in words), words
        return words


@pytest.fixture
def walk(make_app, serve, zoom, clock):  # noqa: F811
    """(base URL, engine) of an app making meetings at the fake Zoom, with the
    9 December 10.00 WITA slot taken on both demo hosts by two other agencies."""
    app = make_app({"meeting_provider": "zoom", "zoom": zoom_settings(zoom),
                    "busy_sync_seconds": 3600})
    api = Api(app)
    for agency, topic in (("disdik", "Rapat evaluasi PPDB"),
                          ("dishub", "Rapat uji KIR angkutan umum")):
        occupant = HttpSop(api, clock, agency)
        occupant.start(topic=topic, letter_number=f"400.3/77/{agency.upper()}/2026")
        occupant.complete("T02_disposition_kadis")
        occupant.complete("T03_disposition_kabid")
        assert occupant.instance()["schedule"]["status"] == "free"
    return serve(app), app.extensions["vicon"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_whole_sop_as_every_lane(walk, browser, shots, zoom, width):  # noqa: F811
    base, engine = walk

    def work() -> None:
        Worker(engine).run_once()

    def person(username: str) -> Person:
        return Person(browser, base, username, width, shots)

    opd = person("opd.dinkes")
    _submit(opd)
    assert "Menunggu Kepala Dinas: Disposisi Kadis ke Kabid" in opd.stage()
    work()

    kadis = person("kadis")
    kadis.shot("02-kotak-masuk-kadis")
    page = kadis.open_task("Disposisi Kadis ke Kabid", ASKED)
    assert "Lihat pindaian surat (PDF)" in page and "Belum ada disposisi." in page
    kadis.page.get_by_label("Koordinasikan").check()
    kadis.page.get_by_label("Catatan disposisi").fill(NOTE)
    kadis.shot("03-disposisi-kadis")
    kadis.send()
    assert "Menunggu Kepala Bidang: Disposisi Kabid ke Subkoordinator" in opd.stage()

    kabid = person("kabid")
    page = kabid.open_task("Disposisi Kabid ke Subkoordinator", ASKED)
    assert NOTE in page and "Koordinasikan" in page
    kabid.send()
    work()  # the schedule check: both hosts hold the asked slot

    chosen = _choose_alternative(opd)
    assert "Menunggu Subkoordinator: Disposisi ke Staf untuk membuat rapat" in opd.stage()

    sub = person("subkoordinator")
    sub.shot("07-kotak-masuk-subkoordinator")
    page = sub.open_task("Disposisi ke Staf untuk membuat rapat", chosen)
    assert "kosong (tersedia)" in page and NOTE in page
    sub.send()
    assert "Rapat sedang dibuat" in opd.stage()
    work()  # the meeting is made at the fake Zoom

    meeting = next(m for m in zoom.state.meetings.values() if m["topic"] == TOPIC)
    assert meeting["start_time"] == "2026-12-09T00:00:00Z"  # the alternative chosen: 08.00 WITA
    staf = person("staf")
    page = staf.open_task("Laporkan ID dan kata sandi rapat", chosen)
    assert str(meeting["id"]) in page and meeting["password"] in page, page
    staf.shot("08-laporan-rapat")
    staf.send()
    assert "Menunggu Subkoordinator: Susun draf surat tanggapan" in opd.stage()

    page = sub.open_task("Susun draf surat tanggapan", chosen)
    assert str(meeting["id"]) in page
    sub.page.get_by_label("Isi surat").fill(
        "Menindaklanjuti surat Saudara, bersama ini kami sampaikan informasi rapat Zoom berikut.")
    sub.shot("09-draf-surat")
    sub.send()
    work()  # the konsep is laid out

    page = kabid.open_task("Periksa draf & laporkan ke Kadis (maks. 1 hari)", chosen, due=True)
    assert "Pratinjau konsep surat tanggapan (PDF)" in page, page
    kabid.letter_shown()
    kabid.shot("10-periksa-surat")
    kabid.send("Setujui")
    assert "Menunggu Kepala Dinas: Tandatangani surat tanggapan" in opd.stage()

    page = kadis.open_task("Tandatangani surat tanggapan", chosen)
    assert "Pemeriksaan Kepala Bidang" in page and "disetujui" in page, page
    kadis.letter_shown()
    kadis.shot("11-tandatangani-surat")
    kadis.send("Tandatangani")
    page = kadis.text()  # the confirmation: nothing is signed before it is sent
    assert kadis.page.locator("h1").inner_text() == "Tandatangani surat ini?"
    assert AGENCY in page and TOPIC in page and chosen.split(", ", 1)[-1] in page, page
    kadis.letter_shown()
    kadis.shot("12-konfirmasi-tanda-tangan")
    assert "Menunggu Kepala Dinas: Tandatangani surat tanggapan" in opd.stage()
    kadis.send("Tandatangani surat ini")
    assert "Surat sedang disiapkan" in opd.stage()  # numbered and laid out, then sent
    work()

    _acknowledge(opd, meeting, chosen)
    for who in (opd, kadis, kabid, sub, staf):
        who.context.close()


def _submit(opd: Person) -> None:
    """The agency asks for the full slot, its letter scanned."""
    opd.go("/permohonan/baru")
    opd.page.get_by_label("Topik rapat").fill(TOPIC)
    opd.page.get_by_label("Waktu mulai").fill("2026-12-09T10:00")
    opd.page.get_by_label("Perkiraan jumlah peserta").fill("45")
    opd.page.get_by_label("Nomor surat permohonan").fill(LETTER)
    opd.page.get_by_label("Tanggal surat permohonan").fill("2026-12-04")
    opd.page.get_by_label("Nama narahubung").fill("dr. Siti Rahmah")
    opd.page.get_by_label("Pindaian surat permohonan").set_input_files(
        {"name": "surat-permohonan.pdf", "mimeType": "application/pdf", "buffer": SCAN})
    opd.shot("01-permohonan-baru")
    opd.send("Kirim permohonan")
    page = opd.text()
    assert "Permohonan terkirim" in page and "9 Desember 2026 pukul 10.00 WITA" in page, page
    assert "Pindaian PDF terlampir" in page, page


def _choose_alternative(opd: Person) -> str:
    """The agency, told the slot is full, takes the first offered time with one
    click; returns that time in words."""
    assert "Menunggu tindakan Anda: Pilih waktu alternatif atau akhiri" in opd.stage()
    opd.shot("04-permohonan-jadwal-penuh")
    opd.go("/kotak-masuk")
    assert _told("Pilih waktu alternatif atau akhiri") in opd.text(), opd.text()
    opd.go("/permohonan")
    opd.click(opd.page.get_by_role("link", name=TOPIC))
    page = opd.text()
    assert "Pemberitahuan jadwal penuh" in page, page  # the notice letter, sent by mail too
    opd.click(opd.page.get_by_role("link", name="Kerjakan: Pilih waktu alternatif atau akhiri"))
    page = opd.text()
    assert "Pemeriksaan jadwal: penuh" in page and "Waktu lain yang masih tersedia" in page, page
    typed = opd.page.evaluate("[...document.querySelectorAll('input')].map(i => i.value)")
    assert not any(value.startswith("2026-12-09T10:00") for value in typed), typed  # the full slot
    choices = opd.page.get_by_role("button", name=re.compile("^Pilih "))
    assert choices.count() >= 1
    chosen = choices.first.inner_text().removeprefix("Pilih ")
    assert re.fullmatch(r"\w+, \d{1,2} Desember 2026 pukul \d\d\.\d\d WITA", chosen), chosen
    opd.shot("05-pilih-waktu-lain")
    opd.click(choices.first)
    opd.shot("06-waktu-dipilih")
    assert "selesai" in opd.text(), opd.text()
    return chosen


def _acknowledge(opd: Person, meeting: dict, chosen: str) -> None:
    """The agency, told the letter arrived, opens the receipt task from its inbox
    and confirms; the request ends fulfilled."""
    assert "Menunggu tindakan Anda: Terima surat tanggapan" in opd.stage()
    opd.go("/kotak-masuk")
    assert _told("Terima surat tanggapan") in opd.text(), opd.text()
    page = opd.open_task("Terima surat tanggapan", chosen, due=True)
    assert str(meeting["id"]) in page and meeting["password"] in page, page
    assert "Unduh surat tanggapan (PDF)" in page and "Nomor " in page, page
    opd.letter_shown()
    opd.shot("13-tanda-terima")
    opd.send()
    assert "Selesai: rapat Zoom dibuat dan surat tanggapan dikirim" in opd.stage()
    opd.click(opd.page.get_by_role("link", name=TOPIC))
    page = opd.text()
    assert "Surat tanggapan nomor" in page and str(meeting["id"]) in page, page
    assert "Pemberitahuan jadwal penuh, dikirim" in page, page
    assert "reschedule" not in page, page  # the agency's timeline speaks its language
    for once in ("Surat tanggapan disetujui", "Surat tanggapan ditandatangani"):
        assert page.count(once) == 1, page
    opd.shot("14-selesai")
    link = opd.page.locator("#tracking-link").input_value()  # made from VICON_PUBLIC_URL
    opd.go(urlsplit(link).path)  # the tracking page anyone holding the link opens
    page = opd.text()
    assert "Selesai: rapat Zoom dibuat dan surat tanggapan dikirim" in page and AGENCY in page, page
    assert str(meeting["id"]) in page and meeting["password"] in page, page
    opd.shot("15-lacak")


def _told(title: str) -> str:
    """The agency's in-app notification that its step ``title`` waits."""
    return f"Permohonan \u201c{TOPIC}\u201d menunggu tindakan Anda: {title}."
