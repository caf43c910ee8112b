"""The limit on unknown verification tokens, counted in the database per client
address so every server process (and every machine) shares it, as the sign-in
limit does: whoever tries tokens is stopped after a few misses."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from engine.storage.verification_models import VerificationMiss

WINDOW = timedelta(minutes=15)
MISSES = 20  # unknown tokens per address within the window (as the tracking page)


def _key(address: str) -> str:
    return f"addr:{(address or '')[:64]}"


class VerificationLimit:
    """Unknown tokens of the last ``WINDOW`` by address (the engine's ``verification.limit``)."""

    def __init__(self, kernel):
        self.kernel = kernel

    def blocked(self, address: str) -> bool:
        """True while ``address`` has used up its misses."""
        since = self.kernel.clock.now() - WINDOW
        with self.kernel.db.reading() as session:
            count = session.scalar(select(func.count()).select_from(VerificationMiss).where(
                VerificationMiss.key == _key(address), VerificationMiss.at > since))
        return (count or 0) >= MISSES

    def missed(self, address: str) -> None:
        """Count one unknown token of ``address``, and forget misses older than the window."""
        now = self.kernel.clock.now()
        with self.kernel.db.transaction() as session:
            session.execute(delete(VerificationMiss).where(VerificationMiss.at <= now - WINDOW))
            session.add(VerificationMiss(key=_key(address), at=now))
