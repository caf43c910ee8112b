"""The sign-in limit: failed sign-ins counted in the database, so every server
process (and every machine) sees the same counts. Limits hold per username and
address together, per username, per address and overall, each over a window."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from engine.storage.account_models import SignInFailure

WINDOW = timedelta(minutes=15)
# Failed sign-ins allowed within the window, per kind of key. The username and
# address together is the tightest: one person mistyping is never locked out by others.
LIMITS = {"pair": 5, "user": 20, "addr": 50, "all": 1000}


def _keys(username: str, address: str) -> dict[str, str]:
    user = (username or "").strip().lower()[:80]
    addr = (address or "")[:64]
    return {"pair": f"pair:{user}|{addr}", "user": f"user:{user}", "addr": f"addr:{addr}", "all": "all"}


class SignInLimit:
    """Failed sign-ins of the last ``WINDOW`` (the engine's ``sign_in_limit``)."""

    def __init__(self, engine):
        self.engine = engine

    def blocked(self, username: str, address: str) -> bool:
        """True while any limit this username or address falls under is used up."""
        keys = _keys(username, address)
        since = self.engine.clock.now() - WINDOW
        with self.engine.db.reading() as session:
            counts = dict(session.execute(
                select(SignInFailure.key, func.count()).where(SignInFailure.key.in_(keys.values()),
                                                              SignInFailure.at > since)
                .group_by(SignInFailure.key)).all())
        return any(counts.get(key, 0) >= LIMITS[kind] for kind, key in keys.items())

    def failed(self, username: str, address: str) -> None:
        """Count one failed sign-in under every key, and forget those older than the window."""
        now = self.engine.clock.now()
        with self.engine.db.transaction() as session:
            session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW))
            session.add_all(SignInFailure(key=key, at=now) for key in _keys(username, address).values())

    def succeeded(self, username: str, address: str) -> None:
        """Forget this username and address's failures (the others still count)."""
        with self.engine.db.transaction() as session:
            session.execute(delete(SignInFailure).where(SignInFailure.key == _keys(username, address)["pair"]))
