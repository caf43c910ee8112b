"""A browser context signed in through the sign-in page, as a person would."""
from __future__ import annotations

from tests.api.accounts import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def signed_in(browser, base: str, viewport: dict, username: str = "manager", timeout_ms: int = 15_000):
    """(context, page) of ``username`` signed in at ``viewport``, on the page they land on."""
    context = browser.new_context(viewport=viewport, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/kotak-masuk")
    return context, page
