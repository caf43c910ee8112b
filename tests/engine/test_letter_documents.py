"""The documents themselves: text read back from the PDFs, the number
format, Indonesian dates, and what an unconfigured office sees flagged."""
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from engine import LetterSettings
from engine.letters import content, indonesian
from engine.letters.numbering import format_number
from engine.letters.press import LetterPress, sha256
from tests.engine.documents import pdf_text
from tests.engine.letter_setup import OFFICE

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)  # Monday 10:00 WITA
DATA = {"request": {"topic": "Rapat koordinasi stunting", "start_at": "2026-12-09T10:00:00+08:00",
                    "duration_minutes": 90, "letter_number": "400.7/123/DINKES/2026",
                    "letter_date": "2026-12-01"},
        "meeting": {"meeting_id": "98765432109", "passcode": "abc123",
                    "join_url": "https://zoom.us/j/98765432109"},
        "letter_draft": {"subject": "Tanggapan atas Permohonan Fasilitasi Zoom Meeting",
                         "carbon_copy": ["Wali Kota Tarakan (sebagai laporan)"]},
        "schedule": {"status": "full", "alternatives": ["2026-12-09T13:00:00+08:00",
                                                        "2026-12-10T09:30:00+08:00"]}}
AGENCY = content.Recipient("Dinas Kesehatan Kota Tarakan", "dinkes@example.go.id")


@pytest.fixture(scope="module")
def press():
    return LetterPress()


def test_the_signed_response_letter_reads_right(press):
    context = content.response_letter(DATA, OFFICE, AGENCY, now=NOW, number="000.7.2/15/DKISP/2026",
                                      signed=True)
    text = pdf_text(press.pdf("surat_tanggapan", context))
    for expected in ("PEMERINTAH KOTA TARAKAN", "Tarakan, 7 Desember 2026", "Nomor : 000.7.2/15/DKISP/2026",
                     "Sifat : Biasa", "Lampiran : -", "Yth. Kepala Dinas Kesehatan Kota Tarakan",
                     "di Tarakan", "Nomor 400.7/123/DINKES/2026 tanggal 1 Desember 2026",
                     "Hari/tanggal : Rabu, 9 Desember 2026", "Waktu : 10.00 s.d. 11.30 WITA",
                     "ID Rapat : 987 6543 2109", "Kode Akses : abc123", "https://zoom.us/j/98765432109",
                     "ANDI PRATAMA, S.Kom., M.Si.", "Pembina Utama Muda (IV/c)", "NIP 197001011995031001",
                     "Tembusan: 1. Wali Kota Tarakan (sebagai laporan).",
                     "Dokumen ini belum ditandatangani secara elektronik."):
        assert expected in text, expected
    assert "KONSEP" not in text and "BELUM DIATUR" not in text


def test_an_unconfigured_draft_flags_what_is_missing(press):
    context = content.response_letter(DATA, LetterSettings(), AGENCY, now=NOW, number=None, signed=False)
    text = pdf_text(press.pdf("surat_tanggapan", context))
    assert "KONSEP" in text and "Tarakan, Desember 2026" in text
    for flag in ("[KODE KLASIFIKASI BELUM DIATUR]", "[ALAMAT KANTOR BELUM DIATUR]",
                 "[NAMA PENANDATANGAN BELUM DIATUR]", "[NIP BELUM DIATUR]"):
        assert flag in text, flag
    assert "/DKISP/2026" in text  # the sequence is left blank until the Kadis signs


def test_rendering_is_repeatable(press):
    context = content.response_letter(DATA, OFFICE, AGENCY, now=NOW, number=None, signed=False)
    assert sha256(press.pdf("surat_tanggapan", context)) == sha256(press.pdf("surat_tanggapan", context))


def test_the_schedule_full_notice_offers_the_free_slots(press):
    text = pdf_text(press.pdf("jadwal_penuh", content.schedule_full_notice(DATA, OFFICE, AGENCY, now=NOW)))
    assert "Pemberitahuan Jadwal Zoom Meeting Penuh" in text
    assert "Rabu, 9 Desember 2026, 10.00 s.d. 11.30 WITA" in text
    assert "1. Rabu, 9 Desember 2026 pukul 13.00 WITA" in text
    assert "2. Kamis, 10 Desember 2026 pukul 09.30 WITA" in text
    assert "Nomor :" not in text


def test_the_expiry_notice(press):
    text = pdf_text(press.pdf("kedaluwarsa", content.expired_notice(DATA, OFFICE, AGENCY, now=NOW)))
    assert "Kedaluwarsa" in text and "waktu kegiatan telah terlewati" in text


@pytest.mark.parametrize("fmt, expected", [
    ("{classification}/{seq}/{unit}/{year}", "000.7.2/7/DKISP/2026"),
    ("{classification}/{seq:03d}/{unit}/{month_roman}/{year}", "000.7.2/007/DKISP/XII/2026"),
])
def test_number_formats(fmt, expected):
    assert format_number(replace(OFFICE, number_format=fmt), 7, NOW) == expected


def test_bad_settings_are_named():
    assert LetterSettings(number_format="{kode}/{seq}").problems()
    assert LetterSettings(number_format="{classification}/{unit}").problems()
    assert LetterSettings(signer_nip="123").problems()
    assert LetterSettings(paper="B5").problems()
    assert OFFICE.problems() == []


@pytest.mark.parametrize("raw, grouped", [("98765432109", "987 6543 2109"), ("987 6543 2109", "987 6543 2109"),
                                          ("1234567890", "123 456 7890")])
def test_meeting_ids_are_grouped(raw, grouped):
    assert indonesian.group_meeting_id(raw) == grouped


@pytest.mark.parametrize("agency, head", [
    ("Dinas Kesehatan Kota Tarakan", "Kepala Dinas Kesehatan Kota Tarakan"),
    ("Sekretariat Daerah Kota Tarakan", "Sekretaris Daerah Kota Tarakan"),
    ("Kecamatan Tarakan Barat", "Camat Tarakan Barat"),
    ("Badan Penanggulangan Bencana Daerah Kota Tarakan", "Kepala Badan Penanggulangan Bencana Daerah Kota Tarakan"),
])
def test_the_addressee_is_the_agencys_head(agency, head):
    assert content.Recipient(agency).head == head
