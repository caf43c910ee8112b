"""Working time: office hours, weekends, holidays, end of day."""
from datetime import date, datetime, timedelta, timezone

import pytest

from engine.calendar.working import WorkingCalendar
from engine.calendar.store import DATA_FILE

WITA = timezone(timedelta(hours=8))
CHRISTMAS = frozenset({date(2026, 12, 24), date(2026, 12, 25)})


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=WITA)


@pytest.mark.parametrize("start, duration, due", [
    ("2026-12-07T09:00", "PT15M", "2026-12-07T09:15"),   # Monday morning
    ("2026-12-07T11:50", "PT15M", "2026-12-07T13:05"),   # across the midday break
    ("2026-12-04T16:20", "PT15M", "2026-12-07T07:35"),   # Friday near closing: over the weekend
    ("2026-12-05T10:00", "PT15M", "2026-12-07T07:45"),   # asked on Saturday: counts from Monday
    ("2026-12-07T20:00", "PT15M", "2026-12-08T07:45"),   # after hours: from the next opening
    ("2026-12-04T10:00", "P1D", "2026-12-07T10:00"),     # one working day from Friday is Monday
    ("2026-12-23T10:00", "P1D", "2026-12-28T10:00"),     # over collective leave, Christmas, weekend
    ("2026-12-23T15:55", "PT15M", "2026-12-28T07:40"),   # end of day before the holidays
    ("2026-12-03T15:00", "P1D", "2026-12-04T15:00"),     # Thursday to Friday
    ("2026-12-03T16:15", "P1D", "2026-12-07T07:30"),     # after Thursday's closing
    ("2026-12-07T10:00", "P3D", "2026-12-10T10:00"),
    ("2026-12-07T10:00", "P1W", "2026-12-14T10:00"),
    ("2026-12-07T10:00", "PT8H", "2026-12-08T10:30"),    # Monday gives 5 office hours, Tuesday 3
])
def test_deadlines_in_working_time(start, duration, due):
    calendar = WorkingCalendar(closed=CHRISTMAS)
    assert calendar.add(at(start), duration) == at(due).astimezone(timezone.utc)


def test_working_time_between_skips_nights_breaks_and_holidays():
    calendar = WorkingCalendar(closed=CHRISTMAS)
    assert calendar.working_time_between(at("2026-12-07T11:00"), at("2026-12-07T14:00")) == timedelta(hours=2)
    assert calendar.working_time_between(at("2026-12-23T15:00"), at("2026-12-28T08:30")) == timedelta(hours=2)


@pytest.mark.parametrize("bad", ["P1M", "P1Y", "PT", "P", "15M", "", "P1DT"])
def test_calendar_months_and_nonsense_are_refused(bad):
    with pytest.raises(ValueError):
        WorkingCalendar().add(at("2026-12-07T09:00"), bad)


def test_the_shipped_file_covers_this_year_and_next():
    import json
    days = json.loads(DATA_FILE.read_text())["days"]
    years = {d["date"][:4] for d in days}
    assert {"2026", "2027"} <= years
    assert {"2026-03-20", "2026-08-17", "2026-12-24"} <= {d["date"] for d in days}


def test_closed_days_live_in_the_database_and_admins_edit_them(make_engine, clock):
    engine = make_engine()
    assert engine.calendar.calendar().is_working_day(date(2026, 12, 24)) is False
    with engine.db.transaction() as session:
        engine.calendar.put(session, date(2026, 12, 31), "Cuti bersama tambahan", "cuti_bersama")
        assert engine.calendar.reopen(session, date(2026, 12, 24))
    cal = engine.calendar.calendar()
    assert not cal.is_working_day(date(2026, 12, 31)) and cal.is_working_day(date(2026, 12, 24))
    restarted = make_engine().calendar.calendar()  # seeding at start-up keeps the admin's edits
    assert not restarted.is_working_day(date(2026, 12, 31)) and restarted.is_working_day(date(2026, 12, 24))
