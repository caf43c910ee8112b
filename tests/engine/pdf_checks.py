"""Reading what an issued PDF carries: its QR code (the page rasterised by
pypdfium2, decoded by zxing-cpp) and its PDF/A properties (pypdf)."""
from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import IndirectObject


def qr_texts(pdf: bytes, dpi: int = 200) -> list[str]:
    """The text of every QR code on every page (each page rasterised by pdfium)."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        found = []
        for page in document:
            image = page.render(scale=dpi / 72).to_pil()
            found += [code.text for code in zxingcpp.read_barcodes(image)
                      if code.format == zxingcpp.BarcodeFormat.QRCode]
            page.close()
        return found
    finally:
        document.close()


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _walk(node, seen: set):
    """Every dictionary reachable from ``node`` (each object once)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def pdfa_problems(pdf: bytes) -> list[str]:
    """Why ``pdf`` is not a PDF/A-3b (or -2b) document as vicon makes them: fonts embedded,
    an sRGB OutputIntent, XMP with title, author, subject and keywords, no encryption,
    no transparency. Empty when it is."""
    reader = PdfReader(io.BytesIO(pdf))
    problems = []
    if reader.is_encrypted or "/Encrypt" in reader.trailer:
        problems.append("encrypted")
    root = reader.trailer["/Root"]
    xmp = _resolve(root.get("/Metadata"))
    text = xmp.get_data().decode("utf-8") if xmp is not None else ""
    if not any(f'pdfaid:part="{part}"' in text or f"<pdfaid:part>{part}<" in text for part in ("2", "3")):
        problems.append("no PDF/A part 2 or 3 in the XMP")
    if 'pdfaid:conformance="B"' not in text and "<pdfaid:conformance>B<" not in text:
        problems.append("no conformance B in the XMP")
    for tag in ("dc:title", "dc:creator", "dc:description", "pdf:Keywords"):
        if tag not in text:
            problems.append(f"XMP without {tag}")
    intents = [_resolve(i) for i in _resolve(root.get("/OutputIntents")) or []]
    if not any(i.get("/S") == "/GTS_PDFA1" and i.get("/DestOutputProfile") is not None
               and "sRGB" in str(i.get("/OutputConditionIdentifier", "")) + str(i.get("/Info", ""))
               for i in intents):
        problems.append("no sRGB OutputIntent")
    seen: set = set()
    for item in _walk(root, seen):
        if item.get("/Type") == "/FontDescriptor" and not any(
                key in item for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"font not embedded: {item.get('/FontName')}")
        if item.get("/S") == "/Transparency":
            problems.append("a transparency group")
        for key in ("/CA", "/ca"):
            if key in item and float(item[key]) < 1:
                problems.append(f"{key} {item[key]}")
        mask = item.get("/SMask")
        if mask is not None and _resolve(mask) != "/None":
            problems.append("a soft mask")
    return sorted(set(problems))
