"""The DOCTYPE/ENTITY pre-check runs on the decoded text (issue 18, finding
11): no encoding hides a declaration, and documents in any of them still parse."""
from __future__ import annotations

import pytest

from engine.definitions.xmlsafe import UnsafeXmlError, parse_xml

BOMB = ('<?xml version="1.0" encoding="{enc}"?><!DOCTYPE x [<!ENTITY a "{payload}">]>'
        '<x>&a;&a;&a;</x>')
PLAIN = '<?xml version="1.0" encoding="{enc}"?><x note="é">Tarakan ü</x>'
ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-7"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_declaration_in_any_encoding_is_refused_before_the_parser(encoding, monkeypatch):
    from engine.definitions import xmlsafe

    def never(*args, **kwargs):  # the refusal must not depend on the parser's own defences
        raise AssertionError("the parser was reached")
    monkeypatch.setattr(xmlsafe.etree, "fromstring", never)
    data = BOMB.format(enc=encoding.upper(), payload="x" * 100).encode(encoding)
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        parse_xml(data)


@pytest.mark.parametrize("encoding", [e for e in ENCODINGS if e != "utf-7"])
def test_a_plain_document_in_any_encoding_still_parses(encoding):
    root = parse_xml(PLAIN.format(enc=encoding.upper()).encode(encoding)).getroot()
    assert (root.tag, root.text, root.get("note")) == ("x", "Tarakan ü", "é")


def test_an_unknown_or_wrong_encoding_is_refused():
    with pytest.raises(UnsafeXmlError):
        parse_xml(b'<?xml version="1.0" encoding="x-unknown"?><x/>')
    with pytest.raises(UnsafeXmlError):
        parse_xml(b'<?xml version="1.0" encoding="UTF-8"?><x>\xff\xfe</x>')
