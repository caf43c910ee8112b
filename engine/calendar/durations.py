"""ISO 8601 durations as the working calendar counts them, and in words.

The one grammar for time standards, timer durations and the lead time:
weeks (5 working days), days (working days), hours, minutes and seconds of
office time, e.g. ``P1D``, ``PT4H``, ``PT15M``, ``P1DT2H``, ``P1W``. Months
and years are refused: a month is not a number of working days.
``PATTERN`` is the same grammar for the modeler's side panel (a JavaScript
``RegExp`` accepts it as it is).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import timedelta

MAX_TEXT = 40  # longer than any duration the calendar counts: refused before the pattern runs
MAX_WORKING_DAYS = 365
MAX_OFFICE_TIME = timedelta(hours=2000)  # about a working year of office hours
PATTERN = r"^P(?!$)(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?=\d)(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6})S)?)?$"
_GRAMMAR = re.compile(PATTERN)
EXAMPLES = "PT15M, PT4H, P1D, P1DT2H"


class DurationError(ValueError):
    """A duration the working calendar cannot count, with the reason in both languages."""

    def __init__(self, value: str, message_id: str, message_en: str):
        super().__init__(f"unsupported working-time duration {value!r}: {message_en}")
        self.value, self.message_id, self.message_en = value, message_id, message_en


@dataclass(frozen=True)
class WorkingDuration:
    """A parsed duration: whole weeks, days, hours, minutes and seconds."""

    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0

    @property
    def working_days(self) -> int:
        """Weeks and days as working days (a week is five)."""
        return self.weeks * 5 + self.days

    @property
    def office_time(self) -> timedelta:
        """Hours, minutes and seconds as office time."""
        return timedelta(hours=self.hours, minutes=self.minutes, seconds=self.seconds)

    def plain(self) -> timedelta:
        """The same amounts in plain time (no calendar): a day is 24 hours."""
        return timedelta(weeks=self.weeks, days=self.days) + self.office_time


def parse_duration(value: object) -> WorkingDuration:
    """``value`` parsed, or DurationError saying why the calendar cannot count it."""
    return _parsed(value if isinstance(value, str) else "")


@functools.lru_cache(maxsize=256)  # a process has a dozen time standards, each read by every command
def _parsed(text: str) -> WorkingDuration:
    match = _GRAMMAR.match(text) if len(text) <= MAX_TEXT else None
    if match is None:
        raise _refusal(text)
    parsed = WorkingDuration(*(int(g) if g else 0 for g in match.groups()))
    if parsed.working_days > MAX_WORKING_DAYS or parsed.office_time > MAX_OFFICE_TIME:
        raise DurationError(text, f"paling lama {MAX_WORKING_DAYS} hari kerja",
                            f"at most {MAX_WORKING_DAYS} working days")
    return parsed


def _refusal(text: str) -> DurationError:
    """The clearest reason ``text`` is not in the grammar (the grammar itself decided)."""
    head = text[:MAX_TEXT]
    if len(text) > MAX_TEXT:
        return DurationError(head + "...", f"terlalu panjang (maks. {MAX_TEXT} karakter)",
                             f"too long (at most {MAX_TEXT} characters)")
    date_part = head.partition("T")[0]
    if head.startswith("P") and ("Y" in date_part or "M" in date_part):
        return DurationError(text, "bulan dan tahun tidak dapat dihitung dalam hari kerja; "
                                   "tulis dalam hari (mis. P20D)",
                             "months and years cannot be counted in working time; write days (e.g. P20D)")
    if "-" in head:
        return DurationError(text, "durasi tidak boleh negatif", "a duration cannot be negative")
    if "." in head or "," in head:
        return DurationError(text, "tulis bilangan bulat (mis. PT90M, bukan PT1.5H)",
                             "write whole numbers (e.g. PT90M, not PT1.5H)")
    if head.endswith("T") and head != "PT":
        return DurationError(text, "sesudah T sebutkan jam, menit atau detik (mis. P1DT2H)",
                             "after T give hours, minutes or seconds (e.g. P1DT2H)")
    if head in ("P", "PT"):
        return DurationError(text, f"durasi kosong: sebutkan jumlahnya (mis. {EXAMPLES})",
                             f"the duration is empty: give an amount (e.g. {EXAMPLES})")
    return DurationError(text, f"bukan durasi ISO 8601 (mis. {EXAMPLES})",
                         f"not an ISO 8601 duration (e.g. {EXAMPLES})")


_UNITS = {"id": ("hari", "jam", "menit", "detik"), "en": ("day", "hour", "minute", "second")}


def duration_words(value: str | None, lang: str = "id") -> str:
    """A duration for people: ``P1D`` "1 hari kerja" ("1 working day"), ``PT4H``
    "4 jam kerja" ("4 working hours"), ``P1DT2H`` "1 hari 2 jam kerja"; a week is
    five working days. What the calendar cannot count is returned as written."""
    try:
        parsed = parse_duration(value)
    except DurationError:
        return value or ""
    amounts = [(n, i) for i, n in enumerate((parsed.working_days, parsed.hours, parsed.minutes,
                                              parsed.seconds)) if n] or [(0, 0)]
    if lang == "id":
        return " ".join(f"{n} {_UNITS['id'][i]}" for n, i in amounts) + " kerja"
    parts = [f"{n} {_UNITS['en'][i]}{'s' * (n != 1)}" for n, i in amounts]
    return " ".join([parts[0].replace(" ", " working ", 1), *parts[1:]])
