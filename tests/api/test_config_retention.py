"""VICON_RETENTION_DAYS and VICON_JOB_LEASE_SECONDS reach the engine's settings; bad values are refused."""
import pytest

from api.config import Config, ConfigError


def test_retention_and_lease_reach_the_engine():
    settings = Config.from_env({"VICON_RETENTION_DAYS": "30", "VICON_JOB_LEASE_SECONDS": "10"}).engine_settings()
    assert (settings.retention_days, settings.job_lease_seconds) == (30, 10)
    defaults = Config.from_env({}).engine_settings()
    assert (defaults.retention_days, defaults.job_lease_seconds) == (365, 300)


@pytest.mark.parametrize("name, value", [("VICON_RETENTION_DAYS", "0"), ("VICON_RETENTION_DAYS", "setahun"),
                                         ("VICON_JOB_LEASE_SECONDS", "0")])
def test_bad_values_are_refused(name, value):
    with pytest.raises(ConfigError, match=name):
        Config.from_env({name: value})
