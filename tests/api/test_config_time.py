"""Office hours and lead time come from the environment, checked at start-up."""
from datetime import time

import pytest

from api.config import Config, ConfigError
from engine import parse_office_hours
from engine.calendar.working import DEFAULT_HOURS


def test_office_hours_and_lead_time_reach_the_engine():
    config = Config.from_env({"VICON_OFFICE_HOURS": "sen-jum 08:00-15:00", "VICON_LEAD_TIME": "PT4H"})
    settings = config.engine_settings()
    assert settings.office_hours[4] == ((time(8), time(15)),) and settings.office_hours[5] == ()
    assert settings.lead_time == "PT4H"


def test_the_default_spelled_out_is_the_default():
    spelled = "mon-thu 07:30-12:00,13:00-16:00; fri 07:30-11:30,13:30-16:30"
    assert parse_office_hours(spelled) == DEFAULT_HOURS
    assert Config.from_env({}).engine_settings().office_hours is None  # the built-in Tarakan hours


@pytest.mark.parametrize("env", [
    {"VICON_OFFICE_HOURS": "someday 08:00-15:00"},
    {"VICON_OFFICE_HOURS": "mon 15:00-08:00"},
    {"VICON_OFFICE_HOURS": "mon"},
    {"VICON_LEAD_TIME": "P1M"},
    {"VICON_LEAD_TIME": "tomorrow"},
])
def test_bad_values_stop_the_start(env):
    with pytest.raises(ConfigError, match="VICON_OFFICE_HOURS / VICON_LEAD_TIME"):
        Config.from_env(env)
