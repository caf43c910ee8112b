"""The press reuses one font configuration and one parsed stylesheet across
letters, and lays out exactly what the linked stylesheet would."""
from datetime import datetime, timezone

import weasyprint

from engine.letters import content
from engine.letters.config import TEMPLATES_DIR
from engine.letters.content import Recipient
from engine.letters.press import PDF_OPTIONS, LetterPress, color_profiles
from tests.engine.letter_setup import DRAFT, MEETING, OFFICE


def letter_context(number: str) -> dict:
    data = {"request": {"topic": "Rapat koordinasi", "start_at": "2026-12-09T10:00:00+08:00",
                        "duration_minutes": 90}, "meeting": MEETING, "letter_draft": DRAFT}
    return content.response_letter(data, OFFICE, Recipient("Dinas Kesehatan", "dinkes@example.go.id"),
                                   now=datetime(2026, 12, 7, 1, tzinfo=timezone.utc), number=number, signed=True)


def test_letters_share_the_layout_parts_and_match_the_linked_stylesheet():
    press = LetterPress()
    first = press.pdf("surat_tanggapan", letter_context("000.7.2/1/DKISP/2026"))
    parts = press._parts
    second = press.pdf("surat_tanggapan", letter_context("000.7.2/2/DKISP/2026"))
    assert press._parts is parts and first != second
    linked = press.html("surat_tanggapan", letter_context("000.7.2/1/DKISP/2026"))
    assert '<link rel="stylesheet" href="surat.css">' in linked
    assert weasyprint.HTML(string=linked, base_url=str(TEMPLATES_DIR)).write_pdf(
        color_profiles=color_profiles(), **PDF_OPTIONS) == first
