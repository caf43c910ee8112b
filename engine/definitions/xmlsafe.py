"""Hardened XML parsing: no DTD, no entities, no network, bounded size."""
from __future__ import annotations

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024


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


def parse_xml(data: bytes, max_bytes: int = MAX_XML_BYTES) -> etree._ElementTree:
    """Parse ``data`` or raise UnsafeXmlError; documents with a DOCTYPE are refused."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise UnsafeXmlError(f"the file is larger than {max_bytes // 1024} KiB",
                             f"berkas lebih besar dari {max_bytes // 1024} KiB")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise UnsafeXmlError("DOCTYPE and entity declarations are not allowed",
                             "deklarasi DOCTYPE dan entitas tidak diizinkan")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise UnsafeXmlError(f"not well-formed XML: {exc}", f"XML tidak valid: {exc}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise UnsafeXmlError("DOCTYPE declarations are not allowed",
                             "deklarasi DOCTYPE tidak diizinkan")
    return tree
