"""Password hashing with the standard library's scrypt."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

COST = 2**14  # scrypt's N: about 50 ms a hash; each hash names its own, so a change keeps old ones valid
_R, _P = 8, 1


def hash_password(password: str) -> str:
    """A salted scrypt hash, self-describing."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=COST, r=_R, p=_P, dklen=32)
    return "scrypt${}${}${}${}${}".format(COST, _R, _P, base64.b64encode(salt).decode(),
                                          base64.b64encode(digest).decode())


def check_password(stored: str, password: str) -> bool:
    """True when ``password`` matches ``stored``."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt),
                                  n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))
