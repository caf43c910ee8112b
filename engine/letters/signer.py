"""Who the final letter's signature block names: the person who completed the
Kadis's signing step (T09), with "Plt." and the position acted for when an acting
official signed on the Kadis's behalf."""
from __future__ import annotations

from sqlalchemy import select

from engine.letters import content
from engine.letters.config import LetterSettings, unset
from engine.storage.models import User

ACTING = "Plt."


def signature_block(session, settings: LetterSettings, signed: dict) -> dict:
    """The block (position, name, rank, NIP) for the signing recorded in ``signed``
    (``signed_letter``: ``signed_by``, and ``on_behalf_of`` when a Plt signed).

    The Kadis signing in person is the configured signer (``VICON_LETTER_SIGNER_*``),
    their account filling a name or NIP left unset. A Plt is named from their own
    account under "Plt." and the Kadis's position; the rank is printed only when known."""
    block = content.signer(settings)
    username = signed.get("signed_by")
    user = session.scalars(select(User).where(User.username == username)).first() if username else None
    if not signed.get("on_behalf_of"):
        if user is not None:
            block["name"] = settings.signer_name or user.full_name or block["name"]
            block["nip"] = settings.signer_nip or user.nip or block["nip"]
        return block
    return {"acting": ACTING, "position": settings.signer_position,
            "name": (user.full_name if user is not None else "") or username,
            "rank": None, "nip": (user.nip if user is not None else None) or unset("NIP"),
            "acting_for": signed["on_behalf_of"]}
