"""Bearer tokens: the username and the account's session epoch, signed with the
app's secret key and a timestamp from the engine's clock (so tests can move
time), valid 8 hours, and only while the account's epoch is unchanged."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from api.context import engine

LIFETIME_SECONDS = 8 * 3600
SALT = "vicon.api.token"


class ClockSigner(TimestampSigner):
    """A timestamp signer that reads the engine's clock instead of the system's."""

    def __init__(self, *args, clock, **kwargs):
        super().__init__(*args, **kwargs)
        self.clock = clock

    def get_timestamp(self) -> int:
        """Seconds since the epoch, by the injected clock."""
        return int(self.clock.now().timestamp())


class TokenExpired(Exception):
    """The token was valid once but is too old (or from the future)."""


class TokenInvalid(Exception):
    """The token was not made by this service."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner,
                                  signer_kwargs={"clock": engine().clock})


def issue(username: str, epoch: int = 0) -> str:
    """A new token for ``username`` in session epoch ``epoch``."""
    return _serializer().dumps([username, epoch])


def claims_of(token: str) -> tuple[str, int]:
    """The username and session epoch a token carries; TokenExpired or TokenInvalid otherwise."""
    try:
        claims = _serializer().loads(token, max_age=LIFETIME_SECONDS)
    except SignatureExpired:
        raise TokenExpired() from None
    except BadSignature:
        raise TokenInvalid() from None
    if not (isinstance(claims, list) and len(claims) == 2 and isinstance(claims[0], str)
            and isinstance(claims[1], int)):
        raise TokenInvalid()  # tokens of earlier versions carried no epoch
    return claims[0], claims[1]
