"""Letter settings as an office would configure them, and a request driven to
the letter steps."""
from __future__ import annotations

from datetime import datetime, timedelta

from engine import LetterSettings
from tests.conftest import future_request

OFFICE = LetterSettings(address="Jalan Contoh No. 1, Tarakan 77111", phone="(0551) 000000",
                        email="dkisp@example.go.id", classification="000.7.2",
                        signer_name="ANDI PRATAMA, S.Kom., M.Si.", signer_rank="Pembina Utama Muda (IV/c)",
                        signer_nip="197001011995031001")
MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}
DRAFT = {"subject": "Tanggapan atas Permohonan Fasilitasi Zoom Meeting",
         "carbon_copy": ["Wali Kota Tarakan (sebagai laporan)"]}


def to_draft(d, clock, agency: str = "dinkes", hour: int = 0) -> None:
    """Submit a request (``hour`` hours after 10:00 WITA two days ahead: requests at
    different hours take no host from each other) and take it to the draft (T07)."""
    request = future_request(clock)
    start = datetime.fromisoformat(request["start_at"]) + timedelta(hours=hour)
    d.start(dict(request, start_at=start.isoformat()), agency=agency)
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti", "Jadwalkan"],
                                         "urgency": "segera", "note": "Mohon difasilitasi"})
    d.complete("T03_disposition_kabid")
    d.complete("T04_disposition_staf")
    d.complete("T05_enter_meeting_details", MEETING)
    d.complete("T06_report_meeting")


def to_signature(d, clock, agency: str = "dinkes", hour: int = 0) -> None:
    """... and further, to the Kadis's signature (T09)."""
    to_draft(d, clock, agency, hour)
    d.complete("T07_draft_letter", DRAFT)
    d.complete("T08_review_draft")
