"""The one rule for an e-mail address, used by the forms' ``format: email``,
the admin's user and agency pages and the host accounts.

The length is capped before anything else reads the string (RFC 5321: 254
characters in all, 64 in the local part), and the check itself is a few
linear scans, never a regular expression that could backtrack.
"""
from __future__ import annotations

MAX_LENGTH = 254
MAX_LOCAL_LENGTH = 64


def is_email(value: object) -> bool:
    """True for ``local@domain.tld``: one ``@``, no white space, at most 254
    characters (64 before the ``@``), a domain of non-empty dot-separated labels."""
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        return False
    local, at, domain = value.partition("@")
    if not at or not local or len(local) > MAX_LOCAL_LENGTH or "@" in domain:
        return False
    if any(c.isspace() for c in value):
        return False
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels)
