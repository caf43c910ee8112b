"""Hardened XML parsing: no DTD, no entities, no network, bounded size.

The document is decoded first (byte-order mark, the first bytes, or the
declared encoding) and the DOCTYPE/ENTITY check runs on its text, so no
encoding (UTF-16, UTF-32, UTF-7, ...) hides a declaration; the parser then
reads that same text, re-encoded as UTF-8.
"""
from __future__ import annotations

import codecs
import re

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024
# Byte-order marks (UTF-32 before UTF-16: FF FE 00 00 starts with FF FE) and the
# first bytes of '<' or '<?' without one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
         (b"\0\0\0<", "utf-32-be"), (b"<\0\0\0", "utf-32-le"), (b"\0<\0?", "utf-16-be"), (b"<\0?\0", "utf-16-le"))
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,300}\?>")


class UnsafeXmlError(ValueError):
    """XML refused before it reaches any library; carries both languages."""

    def __init__(self, message_en: str, message_id: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_id = message_id


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_pis=True, collect_ids=False,
    )


def _decoded(data: bytes) -> str:
    """The document's text, by its byte-order mark, first bytes or declared encoding."""
    encoding = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    if encoding is None:
        declared = _DECLARED.match(data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        codecs.lookup(encoding)
        return data.decode(encoding).lstrip("\ufeff")
    except (LookupError, UnicodeDecodeError):
        raise UnsafeXmlError(f"the file cannot be read as {encoding}",
                             f"berkas tidak dapat dibaca sebagai {encoding}") from None


def parse_xml(data: bytes, max_bytes: int = MAX_XML_BYTES) -> etree._ElementTree:
    """Parse ``data`` or raise UnsafeXmlError; documents with a DOCTYPE are refused."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise UnsafeXmlError(f"the file is larger than {max_bytes // 1024} KiB",
                             f"berkas lebih besar dari {max_bytes // 1024} KiB")
    text = _decoded(data)
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise UnsafeXmlError("DOCTYPE and entity declarations are not allowed",
                             "deklarasi DOCTYPE dan entitas tidak diizinkan")
    data = _DECLARATION.sub("", text, count=1).encode("utf-8")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError(f"not well-formed XML: {exc}", f"XML tidak valid: {exc}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise UnsafeXmlError("DOCTYPE declarations are not allowed",
                             "deklarasi DOCTYPE tidak diizinkan")
    return tree
