"""VICON_SMTP_CA_FILE: the mail server's CA reaches the engine; a missing file stops start-up."""
import pytest

from api.config import Config, ConfigError

BASE = {"VICON_ENV": "test", "VICON_SMTP_HOST": "mail.tarakankota.go.id"}


def test_the_ca_file_reaches_the_mail_settings(tmp_path):
    ca_file = tmp_path / "city-ca.pem"
    ca_file.write_text("-----BEGIN CERTIFICATE-----\n")
    mail = Config.from_env({**BASE, "VICON_SMTP_CA_FILE": str(ca_file)}).engine_settings().mail
    assert (mail.ca_file, mail.security) == (ca_file, "starttls")


def test_without_it_the_system_bundle_is_used():
    assert Config.from_env(BASE).engine_settings().mail.ca_file is None


def test_a_ca_file_that_does_not_exist_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="VICON_SMTP_CA_FILE"):
        Config.from_env({**BASE, "VICON_SMTP_CA_FILE": str(tmp_path / "missing.pem")})
