"""The catalogues are complete: every Indonesian msgid has an English msgstr,
and an English text equal to its Indonesian one is a name or code that reads
the same in both languages (an allowlist), never a forgotten translation."""
from __future__ import annotations

import pathlib

from babel.messages.pofile import read_po

TRANSLATIONS = pathlib.Path(__file__).resolve().parents[2] / "api" / "translations"
SAME_IN_BOTH = {"Administrator", "Status:", "Status", "E-mail", "diagram", "median", "ID", "timer",
                "%(who)s: %(what)s"}


def _catalogue(lang: str) -> dict:
    found = {}
    for path in sorted((TRANSLATIONS / lang / "LC_MESSAGES").glob("*.po")):
        with open(path, "rb") as po:
            found.update({m.id: (m.string, path.name) for m in read_po(po) if m.id})
    return found


def test_every_msgid_has_an_english_msgstr():
    indonesian, english = _catalogue("id"), _catalogue("en")
    assert len(indonesian) > 500
    missing = sorted(f"{where}: {msgid}" for msgid, (_, where) in indonesian.items()
                     if not english.get(msgid, ("",))[0])
    assert not missing, missing
    assert not sorted(set(english) - set(indonesian)), "English entries without an Indonesian one"


def test_english_equal_to_indonesian_only_for_names_and_codes():
    same = sorted(msgid for msgid, (text, _) in _catalogue("en").items()
                  if text == msgid and msgid not in SAME_IN_BOTH and any(c.isalpha() for c in msgid))
    assert not same, same
