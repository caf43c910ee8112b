"""Personal data of requests (UU 27/2022): the contact's name, phone and e-mail.

In audit event data each personal value is *committed*: stored as
``{"$personal": {"sha256": h, "salt": s, "value": v}}`` where
``h = sha256(salt + value)``. The event's hash covers only ``h``, so erasing
``salt`` and ``value`` later leaves the chain verifiable while what is left
cannot be guessed back (the salt goes with the value: a phone number alone
would be found by trying them all).

Plain JSON (instance state and facts, the service journal) holds the values
as they are; ``scrub`` removes them there.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets

FIELDS = ("contact_name", "contact_phone", "contact_email")
MARK = "$personal"
ERASED = "[dihapus]"


def _digest(salt: str, value) -> str:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((salt + body).encode("utf-8")).hexdigest()


def commit(value) -> dict:
    """A commitment holding ``value``."""
    salt = secrets.token_hex(16)
    return {MARK: {"sha256": _digest(salt, value), "salt": salt, "value": value}}


def is_commitment(value) -> bool:
    """True for a commitment dict (held or erased)."""
    return isinstance(value, dict) and set(value) == {MARK} and isinstance(value[MARK], dict)


def values_in(data) -> set[str]:
    """The personal values held in ``data`` under the personal field names
    (plain or committed), at any depth."""
    found: set[str] = set()

    def walk(node, personal=False):
        if is_commitment(node):
            value = node[MARK].get("value")
            if isinstance(value, str) and value:
                found.add(value)
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, personal or key in FIELDS)
        elif isinstance(node, list):
            for child in node:
                walk(child, personal)
        elif personal and isinstance(node, str) and node:
            found.add(node)

    walk(data)
    return found


def seal(data, known: set[str]):
    """``data`` with every personal value committed: values under the personal
    field names, and any other string containing a value in ``known`` (e.g. a
    contact address among a letter's recipients)."""
    known = {k for k in known if _traceable(k)}

    def walk(node, personal=False):
        if is_commitment(node):
            return node
        if isinstance(node, dict):
            return {key: walk(child, personal or key in FIELDS) for key, child in node.items()}
        if isinstance(node, list):
            return [walk(child, personal) for child in node]
        if isinstance(node, str) and node and (personal or any(k in node for k in known)):
            return commit(node)
        return node

    return walk(data)


def holds(data) -> bool:
    """True when every commitment still holding its value matches its digest."""
    if is_commitment(data):
        inner = data[MARK]
        return "value" not in inner or _digest(inner.get("salt", ""), inner["value"]) == inner.get("sha256")
    if isinstance(data, dict):
        return all(holds(child) for child in data.values())
    if isinstance(data, list):
        return all(holds(child) for child in data)
    return True


def hashed_view(data):
    """What an event's hash covers: each commitment reduced to its digest."""
    if is_commitment(data):
        return {MARK: data[MARK]["sha256"]}
    if isinstance(data, dict):
        return {key: hashed_view(child) for key, child in data.items()}
    if isinstance(data, list):
        return [hashed_view(child) for child in data]
    return data


def reveal(data):
    """``data`` as readers see it: each commitment replaced by its value (None once erased)."""
    if is_commitment(data):
        return data[MARK].get("value")
    if isinstance(data, dict):
        return {key: reveal(child) for key, child in data.items()}
    if isinstance(data, list):
        return [reveal(child) for child in data]
    return data


def erase_commitments(data):
    """``data`` with every commitment's value and salt removed (its digest kept)."""
    if is_commitment(data):
        return {MARK: {"sha256": data[MARK]["sha256"], "erased": True}}
    if isinstance(data, dict):
        return {key: erase_commitments(child) for key, child in data.items()}
    if isinstance(data, list):
        return [erase_commitments(child) for child in data]
    return data


def scrub(data, values: set[str]):
    """Plain JSON without personal data: the personal fields dropped, and any
    occurrence of a value in ``values`` inside another string replaced."""
    # the longest first, so a value inside a longer one is not erased half
    traceable = sorted((v for v in values if _traceable(v)), key=len, reverse=True)

    def walk(node):
        if isinstance(node, dict):
            return {key: walk(child) for key, child in node.items() if key not in FIELDS}
        if isinstance(node, list):
            return [walk(child) for child in node]
        if isinstance(node, str):
            for value in traceable:
                node = node.replace(value, ERASED)
        return node

    return walk(data)


def _traceable(value: str) -> bool:
    # e-mail addresses and phone numbers are looked for inside other strings;
    # a name is not (a contact called "Staf" must not touch the lane "Staf")
    return bool(value) and ("@" in value or len(normal_phone(value)) >= 6)


def normal_email(text: str) -> str:
    """An e-mail address as compared (case does not matter)."""
    return text.strip().lower()


def normal_phone(text: str) -> str:
    """A phone number as compared: digits only, +62/62 read as a leading 0."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def matches(value: str, needle: str) -> bool:
    """True when the personal ``value`` is the e-mail or phone ``needle``."""
    if "@" in needle:
        return normal_email(value) == normal_email(needle)
    phone = normal_phone(needle)
    return len(phone) >= 6 and normal_phone(value) == phone
