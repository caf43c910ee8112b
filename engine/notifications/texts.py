"""A notification's words, made when it is read, in the reader's language, from
its kind and parameters: step titles instead of element ids, durations and
dates in words. Rows stored before parameters existed keep their stored text."""
from __future__ import annotations

from engine.calendar.dates import long_datetime, to_wita
from engine.calendar.durations import duration_words

TEXTS = {
    "reminder": {
        "id": "Pengingat: langkah \u201c{title}\u201d untuk permohonan \u201c{topic}\u201d jatuh tempo {due}.",
        "en": "Reminder: step \u201c{title}\u201d of request \u201c{topic}\u201d is due {due}.",
    },
    "agency_task": {
        "id": "Permohonan \u201c{topic}\u201d menunggu tindakan Anda: {title}.",
        "en": "Request \u201c{topic}\u201d is waiting for you: {title}.",
    },
    "escalation": {
        "id": "Eskalasi: langkah \u201c{title}\u201d pada permohonan \u201c{topic}\u201d melewati standar waktu "
              "{standard}.",
        "en": "Escalation: step \u201c{title}\u201d of request \u201c{topic}\u201d overran its time standard of "
              "{standard}.",
    },
}


def render(kind: str, params: dict | None, lang: str = "id", stored: tuple[str, str] = ("", ""),
           names: tuple[str | None, str | None] = (None, None)) -> str:
    """The words of a notification of ``kind`` with ``params`` in ``lang``
    (``id`` or ``en``); ``stored``: its (Indonesian, English) text as stored,
    used when it has no parameters or its kind has no text here; ``names``: the
    step's (name, English name) in its model, when the reader knows them."""
    lang = "en" if lang == "en" else "id"
    texts = TEXTS.get(kind)
    if not params or texts is None:
        return stored[1] if lang == "en" and stored[1] else stored[0]
    due = to_wita(params.get("due_at"))
    values = {"title": _title(params, lang, names),
              "topic": params.get("topic") or "",
              "due": long_datetime(due, lang) if due else "",
              "standard": duration_words(params.get("standard"), lang)}
    return texts[lang].format(**values)


def _title(params: dict, lang: str, names: tuple[str | None, str | None]) -> str:
    """The step's title in ``lang``: the model's English name on English texts; a
    title stored as the bare element id (a sub-process) gives way to the model's name."""
    name, name_en = names
    if lang == "en" and name_en:
        return name_en
    stored = params.get("title")
    return (stored if stored and stored != params.get("step") else name) or stored or params.get("step") or ""


def both(kind: str, params: dict) -> tuple[str, str]:
    """The (Indonesian, English) text stored beside the parameters (the e-mail reads it)."""
    return render(kind, params, "id"), render(kind, params, "en")
