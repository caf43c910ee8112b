"""The one duration grammar: what the working calendar counts, what it refuses
and why, and the words people read."""
import re
from datetime import timedelta

import pytest

from engine.calendar.durations import PATTERN, DurationError, WorkingDuration, duration_words, parse_duration

ACCEPTED = [
    ("P1D", WorkingDuration(days=1)),
    ("PT4H", WorkingDuration(hours=4)),
    ("PT15M", WorkingDuration(minutes=15)),
    ("PT30S", WorkingDuration(seconds=30)),
    ("P1DT2H", WorkingDuration(days=1, hours=2)),
    ("P1W", WorkingDuration(weeks=1)),
    ("P1W2D", WorkingDuration(weeks=1, days=2)),
    ("P3DT1H30M", WorkingDuration(days=3, hours=1, minutes=30)),
    ("P0D", WorkingDuration()),
    ("P365D", WorkingDuration(days=365)),
]
REFUSED = [
    ("P1M", "months and years"),
    ("P1Y", "months and years"),
    ("P1Y2M3D", "months and years"),
    ("PT", "empty"),
    ("P", "empty"),
    ("P1DT", "after T"),
    ("P-1D", "negative"),
    ("PT1.5H", "whole numbers"),
    ("PT1,5H", "whole numbers"),
    ("garbage", "not an ISO 8601 duration"),
    ("", "not an ISO 8601 duration"),
    ("15M", "not an ISO 8601 duration"),
    ("p1d", "not an ISO 8601 duration"),
    ("P1H", "not an ISO 8601 duration"),   # hours belong after T
    ("PT1D", "not an ISO 8601 duration"),
    ("P366D", "at most 365 working days"),
    ("P74W", "at most 365 working days"),
    ("PT2001H", "at most 365 working days"),
    ("P" + "9" * 5000 + "D", "too long"),
]


@pytest.mark.parametrize("text, parsed", ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_what_the_calendar_counts(text, parsed):
    assert parse_duration(text) == parsed
    assert re.match(PATTERN, text)  # the modeler's panel accepts the same


@pytest.mark.parametrize("text, reason", REFUSED, ids=[t[:12] for t, _ in REFUSED])
def test_what_it_refuses_and_why(text, reason):
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert reason in caught.value.message_en and caught.value.message_id
    assert isinstance(caught.value, ValueError)


def test_a_week_is_five_working_days_and_plain_time_is_the_clock():
    assert parse_duration("P1W").working_days == 5
    assert parse_duration("P1DT2H").plain() == timedelta(days=1, hours=2)
    assert parse_duration("PT1H30M").office_time == timedelta(minutes=90)


@pytest.mark.parametrize("text, words_id, words_en", [
    ("P1D", "1 hari kerja", "1 working day"),
    ("P3D", "3 hari kerja", "3 working days"),
    ("PT4H", "4 jam kerja", "4 working hours"),
    ("PT15M", "15 menit kerja", "15 working minutes"),
    ("P1DT2H", "1 hari 2 jam kerja", "1 working day 2 hours"),
    ("P1W", "5 hari kerja", "5 working days"),
    ("P1M", "P1M", "P1M"),   # not countable: shown as written
])
def test_words_for_people(text, words_id, words_en):
    assert duration_words(text, "id") == words_id
    assert duration_words(text, "en") == words_en
