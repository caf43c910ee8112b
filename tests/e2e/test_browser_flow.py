"""A full request in a real browser: opd.dinkes submits it, Kadis, Kabid,
Subkoordinator and Staf work their steps, the agency receives the letter."""
from __future__ import annotations

import pathlib
import re

from engine import Worker
from tests.api.accounts import PASSWORD

PHONE = {"width": 360, "height": 740}


class Person:
    """One demo user in their own browser context (own cookies)."""

    def __init__(self, browser, base: str, username: str, shots: str | None):
        self.base, self.username, self.shots, self.taken = base, username, shots, 0
        self.context = browser.new_context(viewport=PHONE, locale="id-ID")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.goto(f"{base}/masuk")
        self.page.get_by_label("Nama pengguna").fill(username)
        self.page.get_by_label("Kata sandi").fill(PASSWORD)
        self.page.get_by_role("button", name="Masuk").click()
        # officials land on their inbox, an agency on its requests
        self.page.wait_for_url(f"{base}/permohonan" if username.startswith("opd.") else f"{base}/kotak-masuk")

    def shot(self, name: str) -> None:
        """Save a full-page screenshot when screenshots were asked for."""
        if self.shots:
            self.taken += 1
            path = f"{self.shots}/{self.username}-{self.taken:02d}-{name}.png"
            self.page.screenshot(path=path, full_page=True)

    def open_first_task(self, title: str) -> None:
        """From the inbox, open the task called ``title``."""
        self.page.goto(f"{self.base}/kotak-masuk")
        self.shot("kotak-masuk")
        self.page.get_by_role("link", name=title).first.click()
        self.page.wait_for_url(re.compile(r".*/tugas/.*"))

    def send(self, name: str = "Kirim") -> None:
        """Submit the form and land on the next page."""
        self.shot("tugas")
        self.page.get_by_role("button", name=name).click()
        self.page.wait_for_load_state()
        assert "Periksa isian" not in self.page.content(), self.page.content()[-3000:]


def test_a_request_through_every_lane_in_chromium(server, browser, shots):
    base, app = server
    engine = app.extensions["vicon"]
    work = lambda: Worker(engine).run_once()  # noqa: E731  (the worker runs between steps)

    opd = Person(browser, base, "opd.dinkes", shots)
    opd.page.goto(f"{base}/permohonan/baru")
    opd.page.get_by_label("Topik rapat").fill("Rapat koordinasi percepatan penurunan stunting")
    opd.page.get_by_label("Waktu mulai").fill("2026-12-09T10:00")
    opd.page.get_by_label("Perkiraan jumlah peserta").fill("45")
    opd.page.get_by_label("Nomor surat permohonan").fill("400.7/512/DINKES/2026")
    opd.page.get_by_label("Tanggal surat permohonan").fill("2026-12-04")
    opd.page.get_by_label("Nama narahubung").fill("dr. Siti Rahmah")
    opd.shot("permohonan-baru")
    opd.send("Kirim permohonan")
    assert "Permohonan terkirim" in opd.page.content()
    assert "9 Desember 2026 pukul 10.00 WITA" in opd.page.content()
    work()

    kadis = Person(browser, base, "kadis", shots)
    kadis.open_first_task("Disposisi Kadis ke Kabid")
    kadis.page.get_by_label("Koordinasikan").check()
    kadis.page.get_by_label("Catatan disposisi").fill("Mohon dijadwalkan, prioritas Walikota.")
    kadis.send()
    work()

    kabid = Person(browser, base, "kabid", shots)
    kabid.open_first_task("Disposisi Kabid ke Subkoordinator")
    assert "Mohon dijadwalkan, prioritas Walikota." in kabid.page.content()
    kabid.send()
    work()

    sub = Person(browser, base, "subkoordinator", shots)
    sub.open_first_task("Disposisi ke Staf untuk membuat rapat")
    sub.send()
    work()

    staf = Person(browser, base, "staf", shots)
    staf.open_first_task("Masukkan detail rapat secara manual")
    staf.page.get_by_label("ID rapat").fill("812 3456 7890")
    staf.page.get_by_label("Kode sandi").fill("Stunt1ng")
    staf.page.get_by_label("Tautan bergabung").fill("https://us06web.zoom.us/j/81234567890?pwd=abc")
    staf.send()
    work()
    for _ in range(8):  # report, draft, review and signature: each as the lane's user
        task = next(iter(engine.get_instance(_only_instance(engine), engine.actor("admin")).tasks), None)
        if task is None:
            break
        person = {"Staf": staf, "Subkoordinator": sub, "Kabid": kabid, "Kadis": kadis, "OPD": opd}[task.lane]
        person.open_first_task(task.title)
        if task.form_key == "review_kadis":  # signing asks for a confirmation first
            person.send("Tandatangani")
            person.send("Tandatangani surat ini")
        else:
            person.send("Setujui" if task.form_key == "review_kabid" else "Kirim")
        work()

    view = engine.get_instance(_only_instance(engine), engine.actor("admin"))
    assert (view.summary.status, view.summary.outcome) == ("completed", "fulfilled")
    opd.page.goto(f"{base}/permohonan/{view.summary.id}")
    opd.shot("permohonan")
    content = opd.page.content()
    assert "812 3456 7890" in content and "Stunt1ng" in content and "Unduh PDF" in content
    with opd.page.expect_download() as download:
        opd.page.get_by_role("link", name="Unduh PDF").first.click()
    assert pathlib.Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    for person in (opd, kadis, kabid, sub, staf):
        person.context.close()


def _only_instance(engine) -> str:
    return engine.list_instances(engine.actor("admin")).items[0].id
