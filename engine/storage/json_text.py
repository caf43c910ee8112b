"""JSON text as the engine writes and reads it: by orjson (a twentieth of the standard
library's time on a request's state), and by the standard library for what orjson
refuses or would read otherwise, so no value is lost to the faster path.

orjson writes no integer past 64 bits and reads one as a float. Such values are written
by the standard library in its own layout (a space after each colon and comma, and one
before the text), and text in that layout is read by the standard library: orjson's text
never starts with a space, nor holds a quote, a colon and a space in a row outside a
string. So is what was stored before orjson (the state and the JSON columns, objects all,
written with the standard library's layout)."""
from __future__ import annotations

import json

import orjson

_KEY_END = '": '  # in text written by the standard library's encoder, never in orjson's
_KEY_END_BYTES = _KEY_END.encode()


def dumps(value, *, default=None, option: int = 0) -> bytes:
    """``value`` as UTF-8 JSON; ``default`` converts what JSON has no type for and ``option``
    takes orjson's flags (sorted keys are kept on the other path too)."""
    try:
        return orjson.dumps(value, default=default, option=option)
    except orjson.JSONEncodeError:  # integers past 64 bits: the standard library, its layout marked
        return b" " + json.dumps(value, default=default, sort_keys=bool(option & orjson.OPT_SORT_KEYS),
                                 ensure_ascii=False).encode("utf-8")


def loads(text: str | bytes):
    """The value of JSON ``text``, read by the encoder's counterpart (see the module's docstring)."""
    if isinstance(text, (bytes, bytearray)):
        standard = text[:1].isspace() or _KEY_END_BYTES in text
    else:
        standard = text[:1].isspace() or _KEY_END in text
    if not standard:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:  # NaN, which only the standard library writes and reads
            pass
    return json.loads(text)
