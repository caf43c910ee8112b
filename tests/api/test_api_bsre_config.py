"""``VICON_SIGNATURE_PROVIDER=bsre``: its three variables read, a missing one named,
the client secret never in a repr or an error; the engine's press signs with BSrE."""
import pytest

from api.config import Config, ConfigError
from engine import Engine

BSRE = {"VICON_SIGNATURE_PROVIDER": "bsre", "VICON_BSRE_URL": "http://127.0.0.1:9",
        "VICON_BSRE_CLIENT_ID": "esign-klien", "VICON_BSRE_CLIENT_SECRET": "rahasia-klien-bsre"}


def test_the_bsre_variables_are_read_and_the_secret_kept_out_of_sight(tmp_path):
    config = Config.from_env(dict(BSRE, VICON_DATABASE_URL=f"sqlite:///{tmp_path}/v.sqlite"))
    signature = config.signature
    assert (signature.provider, signature.bsre_url, signature.bsre_client_id) == \
        ("bsre", "http://127.0.0.1:9", "esign-klien")
    assert signature.bsre_client_secret == "rahasia-klien-bsre" and "rahasia-klien-bsre" not in repr(config)
    engine = Engine(config.engine_settings())
    try:
        provider = engine.letters.press.signature
        assert (provider.name, provider.interactive, provider.settings.client_id) == ("bsre", True, "esign-klien")
        assert "rahasia-klien-bsre" not in repr(provider.settings)
    finally:
        engine.db.dispose()


@pytest.mark.parametrize("missing", ["VICON_BSRE_URL", "VICON_BSRE_CLIENT_ID", "VICON_BSRE_CLIENT_SECRET"])
def test_a_missing_bsre_variable_is_named(missing):
    with pytest.raises(ConfigError, match=missing) as refused:
        Config.from_env({k: v for k, v in BSRE.items() if k != missing})
    assert "rahasia-klien-bsre" not in str(refused.value)
