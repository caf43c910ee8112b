"""Letter and mail settings read from VICON_LETTER_* and VICON_SMTP_*."""
import pytest

from api.config import Config, ConfigError

BASE = {"VICON_ENV": "test"}


def test_letter_and_mail_settings_reach_the_engine():
    config = Config.from_env({
        **BASE, "VICON_LETTER_CLASSIFICATION": "000.7.2", "VICON_LETTER_UNIT": "DKISP",
        "VICON_LETTER_SIGNER_NAME": "Nama Pejabat", "VICON_LETTER_PAPER": "a4",
        "VICON_LETTER_CARBON_COPY": "Wali Kota Tarakan; Sekretaris Daerah Kota Tarakan",
        "VICON_SMTP_HOST": "127.0.0.1", "VICON_SMTP_PORT": "2525", "VICON_SMTP_SECURITY": "ssl",
        "VICON_SMTP_USER": "u", "VICON_SMTP_PASSWORD": "sandi-rahasia",
        "VICON_MAIL_FROM": "a@b.go.id"})
    settings = config.engine_settings()
    assert (settings.letters.classification, settings.letters.paper) == ("000.7.2", "A4")
    assert settings.letters.carbon_copy == ("Wali Kota Tarakan", "Sekretaris Daerah Kota Tarakan")
    mail = settings.mail
    assert (mail.host, mail.port, mail.security) == ("127.0.0.1", 2525, "ssl")
    assert settings.mail.domain == "b.go.id"
    assert "sandi-rahasia" not in repr(settings) and "sandi-rahasia" not in repr(config)


def test_without_a_mail_server_mail_goes_to_the_outbox():
    assert not Config.from_env(BASE).engine_settings().mail.enabled


@pytest.mark.parametrize("name, value", [("VICON_LETTER_NUMBER_FORMAT", "{kode}/{seq}"),
                                         ("VICON_LETTER_NUMBER_FORMAT", "{classification}/{year}"),
                                         ("VICON_LETTER_SIGNER_NIP", "12345"),
                                         ("VICON_LETTER_PAPER", "letter"),
                                         ("VICON_LETTER_LOGO", "/nonexistent/logo.svg")])
def test_bad_letter_settings_are_refused(name, value):
    with pytest.raises(ConfigError, match="VICON_LETTER_"):
        Config.from_env({**BASE, name: value})
