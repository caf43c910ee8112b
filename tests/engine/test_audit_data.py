"""An audit event's data is stored as the JSON the standard library's canonical
encoding gives back (what the chain's hash covers), whichever encoder writes it."""
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from engine.audit.chain import _canonical, _plain


@dataclass
class Point:
    x: int


def test_event_data_is_the_json_the_canonical_encoding_gives_back():
    values = [
        {"b": 1, "a": [1, 2.5, None, True], "nested": {"z": "ü é", "y": ("t", "u")}},
        {1: "int key", 2: "int key"}, {2.5: "float key"}, {True: "bool key"}, {None: "none key"},
        {"at": datetime(2026, 12, 9, 9, 30, tzinfo=timezone.utc), "day": date(2026, 12, 9)},
        {"id": uuid.UUID(int=7), "point": Point(3), "set": {"one"}, "money": Decimal("1.50"), "raw": b"x"},
        {"huge": 2 ** 70 + 1, "text": "line\nbreak \u2028 \x00"},
        {"float": 1e16, "small": 1e-7, "third": 1 / 3},
    ]
    for value in values:
        assert _plain(value) == json.loads(_canonical(value)), value
        assert _canonical(_plain(value)) == _canonical(json.loads(_canonical(value)))
