"""What each document says, as plain template contexts built from an
instance's data: the response letter, the two notices, the disposition sheet."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.letters.config import PAPER_SIZES, LetterSettings, unset
from engine.letters.indonesian import (day_and_date, group_meeting_id, head_of, long_date, month_year, slot,
                         time_range)
from engine.letters.numbering import format_number

URGENCY = {"biasa": "Biasa", "segera": "Segera", "sangat_segera": "Sangat Segera"}
DEFAULT_SUBJECT = "Fasilitasi Zoom Meeting"
CLOSING = "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."
DEFAULT_BODY = ("Sehubungan dengan hal tersebut, kami mohon agar tautan dan kode sandi hanya "
                "dibagikan kepada peserta yang berkepentingan, dan operator kegiatan dari perangkat "
                "daerah Saudara berkoordinasi dengan petugas kami paling lambat 1 (satu) hari "
                "sebelum pelaksanaan.")


@dataclass(frozen=True)
class Recipient:
    """The requesting agency, as a letter addresses it."""

    name: str
    email: str | None = None

    @property
    def head(self) -> str:
        """The addressee: the agency's head by title."""
        return head_of(self.name)


def _request(data: dict) -> dict:
    return data.get("request") or {}


def _start(request: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(request["start_at"])
    except (KeyError, TypeError, ValueError):
        return None


def _reference(request: dict) -> dict:
    try:
        when = long_date(date.fromisoformat(request.get("letter_date", "")))
    except ValueError:
        when = request.get("letter_date") or "-"
    return {"number": request.get("letter_number") or "-", "date": when}


def _paragraphs(text: str | None) -> list[str]:
    return [" ".join(p.split()) for p in (text or "").split("\n\n") if p.strip()]


def letterhead(settings: LetterSettings) -> dict:
    """The kop: government, agency, address and contacts, logo."""
    contacts = [f"{label} {value}" for label, value in (
        ("Telepon", settings.phone), ("Pos-el", settings.email), ("Laman", settings.website)) if value]
    return {"government": settings.government, "agency": settings.agency,
            "address": settings.address or unset("ALAMAT KANTOR"), "contacts": "  ".join(contacts),
            "logo": settings.logo.resolve().as_uri() if settings.logo and settings.logo.exists() else None}


def signer(settings: LetterSettings) -> dict:
    """The signature block's position, name, rank and NIP."""
    return {"position": settings.signer_position,
            "name": settings.signer_name or unset("NAMA PENANDATANGAN"),
            "rank": settings.signer_rank or unset("PANGKAT/GOLONGAN"),
            "nip": settings.signer_nip or unset("NIP")}


def frame(settings: LetterSettings, recipient: Recipient, *, subject: str, now: datetime,
          seq: int | None = None, number: str | None = None, signed: bool = True) -> dict:
    """What every letter has: kop, place and date, number, addressee, signer.

    A draft (``signed`` False) shows the month only and a gap for the number,
    both filled when the Kadis signs."""
    return {"paper": PAPER_SIZES.get(settings.paper, settings.paper), "kop": letterhead(settings),
            "place": settings.place,
            "date": long_date(now) if signed else f"\u2002\u2002\u2002{month_year(now)}",
            "number": number or format_number(settings, seq, now), "subject": subject,
            "addressee": recipient.head or unset("OPD TUJUAN"), "addressee_place": f"di {settings.place}",
            "signer": signer(settings), "draft": not signed, "urgency": "Biasa", "attachment": "-",
            "carbon_copy": list(settings.carbon_copy)}


def response_letter(data: dict, settings: LetterSettings, recipient: Recipient, *, now: datetime,
                    number: str | None, signed: bool) -> dict:
    """The Surat Tanggapan: the meeting is facilitated, with its details."""
    request, meeting = _request(data), data.get("meeting") or {}
    draft = data.get("letter_draft") or {}
    context = frame(settings, recipient, subject=draft.get("subject") or DEFAULT_SUBJECT, now=now,
                    number=number, signed=signed)
    start = _start(request)
    minutes = int(request.get("duration_minutes") or 60)
    context.update(
        reference=_reference(request),
        urgency=URGENCY.get(draft.get("urgency") or "", "Biasa"), attachment=draft.get("attachment") or "-",
        details=[("Nama kegiatan", request.get("topic", "")),
                 ("Hari/tanggal", day_and_date(start) if start else "-"),
                 ("Waktu", time_range(start, minutes) if start else "-"),
                 ("ID Rapat", group_meeting_id(meeting.get("meeting_id"))),
                 ("Kode Akses", meeting.get("passcode") or "-"),
                 ("Tautan", meeting.get("join_url") or "-")],
        paragraphs=_paragraphs(draft.get("body")) or [DEFAULT_BODY], closing=CLOSING,
        carbon_copy=list(draft.get("carbon_copy") or settings.carbon_copy))
    if settings.contact:
        context["paragraphs"].append(f"Narahubung layanan: {settings.contact}.")
    return context


def schedule_full_notice(data: dict, settings: LetterSettings, recipient: Recipient, *,
                         now: datetime) -> dict:
    """The notice that every host account is taken, with the free slots found."""
    request, schedule = _request(data), data.get("schedule") or {}
    start, minutes = _start(request), int(request.get("duration_minutes") or 60)
    slots = schedule.get("alternatives") or []
    context = frame(settings, recipient, subject="Pemberitahuan Jadwal Zoom Meeting Penuh", now=now)
    context.update(number=None, reference=_reference(request), topic=request.get("topic", ""),
                   requested=f"{day_and_date(start)}, {time_range(start, minutes)}" if start else "-",
                   alternatives=[slot(datetime.fromisoformat(s)) for s in slots],
                   closing=CLOSING)
    return context


def expired_notice(data: dict, settings: LetterSettings, recipient: Recipient, *,
                   now: datetime) -> dict:
    """The notice that the meeting time passed before the request was done."""
    request = _request(data)
    start = _start(request)
    context = frame(settings, recipient, subject="Pemberitahuan Permohonan Zoom Meeting Kedaluwarsa",
                    now=now)
    context.update(number=None, reference=_reference(request), topic=request.get("topic", ""),
                   requested=day_and_date(start) if start else "-", closing=CLOSING)
    return context
