"""CSV for spreadsheets: UTF-8 with a byte-order mark (Excel then reads it as
UTF-8), every cell quoted as needed, and cells that a spreadsheet would run as
a formula (= + - @, tab, carriage return first) neutralised with a quote."""
from __future__ import annotations

import csv
import io

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """``value`` as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_lines(header: list, rows):
    """The CSV text, line by line (BOM first), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text
    writer.writerow([safe_cell(h) for h in header])
    yield BOM + flush()
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        yield flush()
