"""VICON_SIGNATURE_PROVIDER and the pades variables at start-up: a missing or unreadable
PKCS#12 file or a wrong password is refused naming the variable, never the password."""
import pytest

from api.config import Config, ConfigError
from tests.engine.signing_certs import P12_PASSWORD, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


def env(**values) -> dict:
    return {"VICON_ENV": "test", "VICON_SECRET_KEY": "a-test-secret-key-long-enough", **values}


def refusal(environ) -> str:
    with pytest.raises(ConfigError) as refused:
        Config.from_env(environ)
    return str(refused.value)


def test_none_is_the_default_and_needs_nothing():
    assert Config.from_env(env()).signature.provider == "none"


def test_an_unknown_provider_is_refused():
    assert "VICON_SIGNATURE_PROVIDER must be one of none, pades, bsre" in refusal(
        env(VICON_SIGNATURE_PROVIDER="tanda"))


def test_pades_opens_its_key_at_start_up(pki):
    config = Config.from_env(env(VICON_SIGNATURE_PROVIDER="pades", VICON_SIGN_P12=str(pki.p12),
                                 VICON_SIGN_P12_PASSWORD=P12_PASSWORD, VICON_TSA_URL="http://127.0.0.1:9/tsa",
                                 VICON_SIGN_TRUST_ROOTS=str(pki.ca_pem)))
    settings = config.engine_settings().signature
    assert (settings.provider, settings.p12, settings.tsa_url, settings.trust_roots) == (
        "pades", pki.p12, "http://127.0.0.1:9/tsa", pki.ca_pem)
    assert P12_PASSWORD not in repr(config) and P12_PASSWORD not in repr(settings)


@pytest.mark.parametrize("variables, named", [
    ({}, "VICON_SIGN_P12"),
    ({"VICON_SIGN_P12": "/nonexistent/kunci.p12"}, "VICON_SIGN_P12: /nonexistent/kunci.p12 cannot be read"),
    ({"VICON_SIGN_P12_PASSWORD": "salah-sandi-991"}, "VICON_SIGN_P12_PASSWORD does not open VICON_SIGN_P12"),
    ({"VICON_SIGN_TRUST_ROOTS": "/nonexistent/ca.pem"}, "VICON_SIGN_TRUST_ROOTS: /nonexistent/ca.pem"),
    ({"VICON_TSA_URL": "ftp://tsa.example"}, "VICON_TSA_URL must start with https:// or http://"),
])
def test_a_bad_key_is_refused_naming_the_variable_never_the_password(pki, variables, named):
    base = {"VICON_SIGN_P12": str(pki.p12), "VICON_SIGN_P12_PASSWORD": P12_PASSWORD} if variables else {}
    message = refusal(env(VICON_SIGNATURE_PROVIDER="pades", **dict(base, **variables)))
    assert named in message
    assert P12_PASSWORD not in message and "salah-sandi-991" not in message


def test_a_file_that_is_not_pkcs12_is_refused(pki):
    message = refusal(env(VICON_SIGNATURE_PROVIDER="pades", VICON_SIGN_P12=str(pki.ca_pem),
                          VICON_SIGN_P12_PASSWORD=P12_PASSWORD))
    assert "VICON_SIGN_P12_PASSWORD does not open VICON_SIGN_P12" in message and P12_PASSWORD not in message
