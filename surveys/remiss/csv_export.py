"""The CSV downloads of the compilation, written from UTF-8 bytes.

The same file as core.exports.csv_bytes (semicolons, UTF-8 with a BOM for Excel, CRLF, quotes only where
needed, no formulas from user text; a test compares the two), but a text may be given as bytes straight from
the database: the csv module's character-by-character scan of 14 M characters, and decoding and encoding
them, cost more than everything else in the export.
"""
from flask import Response

from core.exports import _csv_cell

_NEEDS_QUOTES = (b";", b'"', b"\r", b"\n")
SHORT = 200
# As core.exports._safe_text: a cell starting with these would run as a formula in Excel.
_FORMULA_START = frozenset(b"=+-@\t\r")


def _field(value):
    if type(value) is not bytes:
        value = _csv_cell(value)  # None, yes/no and times as core.exports writes them
        if type(value) is not str:
            return str(value).encode()  # a number or a date: never a formula, never quoted
        value = value.encode()
    if value and value[0] in _FORMULA_START:
        value = b"'" + value
    for special in _NEEDS_QUOTES:
        if special in value:
            return b'"' + value.replace(b'"', b'""') + b'"'
    return value


def csv_bytes(header, rows):
    short = {}  # short texts repeat (headings, names, labels): each is written once

    def field(value):
        if type(value) is int:
            return b"%d" % value
        if isinstance(value, str | bytes) and len(value) < SHORT:
            out = short.get(value)
            if out is None:
                out = short[value] = _field(value)
            return out
        return _field(value)

    def line(row):
        fields = [field(v) for v in row]
        if fields == [b""]:
            return b'""\r\n'  # as the csv module writes a row of one empty field (else an empty line)
        return b";".join(fields) + b"\r\n"

    return b"".join([b"\xef\xbb\xbf", line(header), *map(line, rows)])


def csv_response(filename, header, rows):
    return Response(csv_bytes(header, rows), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
