"""The disposition sheet (lembar disposisi) of a request: the incoming letter's
identity, then each disposition down the chain (Kadis, Kabid, Subkoordinator)
with its instructions ticked from the form's pick-list, urgency and note."""
from __future__ import annotations

from datetime import date, datetime

from engine.letters.config import LetterSettings
from engine.letters.content import URGENCY, _reference, _request, letterhead
from engine.letters.indonesian import long_date

# step variable -> (from, to), by position
CHAIN = {"disposition_kadis": ("Kepala Dinas", "Kepala Bidang"),
         "disposition_kabid": ("Kepala Bidang", "Subkoordinator"),
         "disposition_subkoordinator": ("Subkoordinator", "Staf Pengelola Zoom Meeting")}
DECISIONS = {"forward": "Diteruskan", "return": "Dikembalikan ke OPD untuk dilengkapi",
             "reject": "Ditolak"}


def instruction_choices(forms: dict, variable: str) -> list[str]:
    """The pick-list of instructions the step's form offers."""
    form = forms.get(variable)
    items = (form.schema.get("properties", {}).get("instructions", {}).get("items", {})
             if form is not None else {})
    return list(items.get("enum", []))


def behalf_words(position: str | None) -> str:
    """"a.n. <position>, selaku Plt." when an acting official made the disposition
    (the words the pages use), else empty."""
    return f"a.n. {position}, selaku Plt." if position else ""


def disposition_row(variable: str, data: dict, choices: list[str], when: datetime | None,
                    by: str | None, behalf: str = "") -> dict:
    """One disposition: who to whom, ticked instructions, urgency, note, deadline, date,
    and the "a.n." words when a deputy made it for the official."""
    given = set(data.get("instructions") or [])
    source, target = CHAIN[variable]
    return {"from": source, "to": target, "decision": DECISIONS.get(data.get("decision") or "", "-"),
            "instructions": [(choice, choice in given) for choice in choices]
            + [(extra, True) for extra in sorted(given - set(choices))],
            "urgency": URGENCY.get(data.get("urgency") or "", "Biasa"),
            "note": data.get("note") or data.get("reason") or "",
            "date": long_date(when) if when else "", "by": by or "", "behalf": behalf,
            "deadline": _deadline(data.get("deadline"))}


def _deadline(value) -> str:
    """The disposition's optional deadline in words (empty when none or unreadable)."""
    try:
        return long_date(date.fromisoformat(value)) if isinstance(value, str) else ""
    except ValueError:
        return ""


def sheet(data: dict, settings: LetterSettings, *, agency: str, received: datetime, register: str,
          rows: list[dict]) -> dict:
    """The whole sheet's context."""
    request = _request(data)
    reference = _reference(request)
    first = (data.get("disposition_kadis") or {}).get("urgency")
    return {"paper": "A4" if settings.paper == "A4" else "215mm 330mm", "kop": letterhead(settings),
            "incoming": [("Surat dari", agency), ("Nomor surat", reference["number"]),
                         ("Tanggal surat", reference["date"]), ("Diterima tanggal", long_date(received)),
                         ("Nomor registrasi", register), ("Sifat", URGENCY.get(first or "", "Biasa")),
                         ("Hal", f"Permohonan fasilitasi Zoom Meeting: {request.get('topic', '')}")],
            "rows": rows}
