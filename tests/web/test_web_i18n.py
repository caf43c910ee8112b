"""Languages: every page string has an Indonesian (and an English) translation,
placeholders survive translation, and the language switch works."""
import pathlib
import re

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "api" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _source_strings() -> set[str]:
    with open(ROOT / "api" / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {"_": None, "gettext": None, "_l": None}
    return {message for _, _, message, _, _ in
            extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords) if message}


def _catalogue(lang: str) -> dict:
    catalogue = {}
    for path in sorted((TRANSLATIONS / lang / "LC_MESSAGES").glob("*.po")):
        with open(path, "rb") as po:
            catalogue.update({m.id: m.string for m in read_po(po) if m.id})
    return catalogue


def test_every_page_string_has_an_indonesian_and_an_english_translation():
    strings = _source_strings()
    assert len(strings) > 150
    for lang in ("id", "en"):
        catalogue = _catalogue(lang)
        missing = sorted(s for s in strings if not catalogue.get(s))
        assert not missing, f"{lang}: no translation for {missing}"


def test_translations_keep_their_placeholders():
    for msgid, msgstr in _catalogue("en").items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid


def test_the_language_switch_turns_the_pages_english_and_back(pages):
    browser = pages("kadis")
    page = browser.get("/kotak-masuk").get_data(as_text=True)
    assert '<html lang="id">' in page and "Kotak masuk" in page
    browser.submit("/bahasa", {"lang": "en", "next": "/kotak-masuk"}, page="/kotak-masuk")
    page = browser.get("/kotak-masuk").get_data(as_text=True)
    assert '<html lang="en">' in page and "Inbox" in page and "No tasks are waiting for you." in page
    browser.submit("/bahasa", {"lang": "id", "next": "/kotak-masuk"}, page="/kotak-masuk")
    assert "Tidak ada tugas yang menunggu Anda." in browser.get("/kotak-masuk").get_data(as_text=True)


def test_dates_follow_the_language(pages, clock):
    from tests.web.flow import PageSop
    sop = PageSop(pages, clock)
    sop.submit()
    browser = pages("opd.dinkes")
    path = f"/permohonan/{sop.instance_id}"
    assert "9 Desember 2026 pukul 10.00 WITA" in browser.get(path).get_data(as_text=True)
    browser.submit("/bahasa", {"lang": "en", "next": path}, page=path)
    assert "9 December 2026 at 10:00 WITA" in browser.get(path).get_data(as_text=True)


def test_indonesian_is_the_default_even_for_english_browsers(pages):
    page = pages(None).get("/standar-layanan", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Persyaratan" in page and "Gratis." in page
