"""A fast XLSX writer for large text exports (the remissammanställning with hundreds of long answers).

openpyxl builds every cell as an object and takes over a second for 9,000 cells of long text; this writes
the sheet XML directly with inline strings, which is the same file format and several times faster.
On issue 12's shape (14 M characters) three more things mattered, each measured:
- It works in UTF-8 bytes: a text cell may be given as bytes straight from the database (compilation asks
  for the long texts so); decoding, cleaning with a regular expression and encoding again cost more than
  writing the file.
- A sheet is one flat list of pieces joined once: formatting a long text into a cell, the cell into a row
  and the row into the sheet copied every text three times.
- Deflating 17 MB of XML with zlib (its fastest level) took as long as writing it (~100 ms); ISA-L's deflate
  (the isal package) writes the same standard deflate stream, about as small, in a quarter of the time. zipfile
  can only deflate with zlib, so the few lines of the ZIP container are written here (_zip).
The same rules as core.exports apply: no formulas from user text, at most 32,000 characters per cell.
"""
import re
import struct
import time
from datetime import date, datetime
from xml.sax.saxutils import escape

from flask import Response
from isal import isal_zlib

from core.exports import XLSX_MIME

# Characters XML 1.0 does not allow (see _drop_illegal).
_ILLEGAL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20)])
_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE and U+FFFF
_EPOCH = datetime(1899, 12, 30)
# As core.exports._safe_text: a cell starting with these would run as a formula in Excel.
_FORMULA_START = frozenset(b"=+-@\t\r")
MAX_CELL = 32_000
MAX_WIDTH = 60
SHORT = 200  # characters: shorter texts (names, headings, labels) repeat, and are cleaned once per sheet
CHUNK_ROWS = 500  # rows of XML deflated at a time
_TEXT = (str, bytes)  # a text cell: str, or UTF-8 bytes from the database
_TEXT_OPEN = b'" t="inlineStr"><is><t xml:space="preserve">'
_TEXT_CLOSE = b"</t></is></c>"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
SHEET_TYPE = ('<Override PartName="/xl/worksheets/sheet{n}.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _col(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def _without_controls(value):
    """A control character first: the formula check must see what follows it (the rest go in _drop_illegal)."""
    return value.translate(None, _ILLEGAL_BYTES) if value[0] < 0x20 else value


def _text(value):
    """A text cell's content (str or UTF-8 bytes) as XML-escaped UTF-8: ' before a formula's first character,
    at most MAX_CELL characters. The characters XML forbids are dropped from each chunk of the sheet
    (_drop_illegal): one pass over a chunk costs less than one per cell."""
    if isinstance(value, str):
        value = value.encode()
    value = _without_controls(value)
    if value and value[0] in _FORMULA_START:
        value = b"'" + value
    if len(value) > MAX_CELL:  # bytes, not characters (å is two): look closer
        text = value.decode()
        if len(text) > MAX_CELL:
            value = text[:MAX_CELL].encode()
    if b"&" in value:
        value = value.replace(b"&", b"&amp;")
    if b"<" in value:
        value = value.replace(b"<", b"&lt;")
    if b">" in value:
        value = value.replace(b">", b"&gt;")
    return value


def _length(value):
    """The characters of a text cell as _text writes it, as far as a column width needs them."""
    if isinstance(value, bytes):
        if len(value) >= 4 * MAX_WIDTH:  # a UTF-8 character has at most four bytes
            return MAX_WIDTH
        value = value.decode()
    if value[0] < " ":
        value = _without_controls(value.encode()).decode()
    return min(MAX_CELL, len(value) + (1 if value and ord(value[0]) in _FORMULA_START else 0))


def _widths(header, rows):
    """Each column as wide as its header or its longest text (8 to MAX_WIDTH characters)."""
    widths = [min(MAX_WIDTH, max(8, len(str(h)) + 2)) for h in header]
    for i in range(len(widths)):
        seen = set()  # a column's short texts repeat (names, headings): each is measured once
        for row in rows:
            if widths[i] >= MAX_WIDTH:  # a long text: nothing more to learn about this column
                break
            v = row[i] if i < len(row) else None
            if v and isinstance(v, _TEXT) and v not in seen:
                seen.add(v)
                widths[i] = min(MAX_WIDTH, max(widths[i], _length(v) + 2))
    return widths


def _drop_illegal(xml):
    """XML without the characters XML 1.0 forbids (Excel refuses the file if they appear). In UTF-8 the control
    characters are single bytes that occur in no other character; the markup has none."""
    xml = xml.translate(None, _ILLEGAL_BYTES)
    if b"\xef" in xml:  # the lead byte of U+FFFE and U+FFFF, and of other characters: look closer
        for bad in _NONCHARACTERS:
            xml = xml.replace(bad, b"")
    return xml


def _cell(ref, value, style=b""):
    """A cell that is not text (nor empty): a yes/no, a number or a time."""
    if isinstance(value, bool):
        return b'<c r="%s" t="inlineStr"%s><is><t>%s</t></is></c>' % (ref, style, b"ja" if value else b"nej")
    if isinstance(value, int | float):
        return b'<c r="%s"%s><v>%s</v></c>' % (ref, style, str(value).encode())
    if isinstance(value, datetime | date):
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return b'<c r="%s" s="2"><v>%.10f</v></c>' % (ref, serial)
    return _text_cell(ref, _text(str(value)), style)


def _text_cell(ref, text, style=b""):
    return b'<c r="%s" t="inlineStr"%s><is><t xml:space="preserve">%s</t></is></c>' % (ref, style, text)


def _sheet_chunks(header, rows):
    """The worksheet's UTF-8 XML, in chunks of CHUNK_ROWS rows. Text cells are str or UTF-8 bytes."""
    rows = rows if isinstance(rows, list | tuple) else list(rows)
    letters = [_col(i).encode() for i in range(max(len(header), 1) + 10)]
    col_xml = b"".join(b'<col min="%d" max="%d" width="%d" customWidth="1"/>' % (i + 1, i + 1, w)
                       for i, w in enumerate(_widths(header, rows)))
    yield _drop_illegal(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        b'state="frozen"/></sheetView></sheetViews>'
        + (b"<cols>%s</cols>" % col_xml if col_xml else b"")
        + b'<sheetData><row r="1">'
        + b"".join(_text_cell(letters[i] + b"1", _text(str(h)), b' s="1"') for i, h in enumerate(header) if str(h))
        + b"</row>")
    # One flat list of pieces joined once per chunk; each column's '<c r="B' made once.
    starts = [b'<c r="' + letter for letter in letters]
    short = {}
    parts = []
    for n, row in enumerate(rows, start=2):
        number = b"%d" % n
        parts += (b'<row r="', number, b'">')
        if len(row) > len(starts):
            starts += [b'<c r="' + _col(i).encode() for i in range(len(starts), len(row))]
        for start, v in zip(starts, row, strict=False):  # starts has a place for every column
            if isinstance(v, _TEXT):
                if not v:
                    continue
                if len(v) < SHORT:
                    text = short.get(v)
                    if text is None:
                        text = short[v] = _text(v)
                else:
                    text = _text(v)
                parts += (start, number, _TEXT_OPEN, text, _TEXT_CLOSE)
            elif type(v) is int:
                parts += (start, number, b'"><v>', b"%d" % v, b"</v></c>")
            elif v is not None:
                parts.append(_cell(start[6:] + number, v))
        parts.append(b"</row>")
        if n % CHUNK_ROWS == 0:
            yield _drop_illegal(b"".join(parts))
            parts = []
    yield _drop_illegal(b"".join(parts)) + b"</sheetData></worksheet>"


def _sheet_xml(header, rows):
    """The worksheet's UTF-8 XML in one piece."""
    return b"".join(_sheet_chunks(header, rows))


# ISA-L's fastest level but one: level 0 gave a file a quarter larger for no time saved (measured on issue 12's
# shape: 17 MB of sheet XML deflated to 2.4 MB in ~35 ms, where zlib's level 1 took ~130 ms for the same size).
DEFLATE_LEVEL = 1
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
_END_OF_CENTRAL_DIRECTORY = struct.Struct("<IHHHHIIH")
_ZIP_LIMIT = 0xFFFF_FFFF  # sizes and offsets past 4 GiB need ZIP64, which an export never comes near


def _dos_time(now):
    """The ZIP format's MS-DOS date and time (two seconds' precision) of a local time tuple."""
    year, month, day, hour, minute, second = now[:6]
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _zip(entries):
    """A ZIP file of (name, chunks of bytes), each entry deflated chunk by chunk: what zipfile writes (version
    2.0, deflate, no ZIP64, no extra fields), with ISA-L's deflate."""
    dos_time, dos_date = _dos_time(time.localtime())
    pieces, central, offset = [], [], 0
    for name, chunks in entries:
        name = name.encode()
        deflate = isal_zlib.compressobj(DEFLATE_LEVEL, isal_zlib.DEFLATED, -15)  # raw deflate, as ZIP wants
        crc = size = 0
        data = []
        for chunk in chunks:
            crc = isal_zlib.crc32(chunk, crc)
            size += len(chunk)
            data.append(deflate.compress(chunk))
        data.append(deflate.flush())
        data = b"".join(data)
        if max(size, offset + len(data)) >= _ZIP_LIMIT:
            raise ValueError("the export is too large for a ZIP file without ZIP64")
        fields = (20, 0, 8, dos_time, dos_date, crc, len(data), size, len(name))  # version 2.0, no flags, deflate
        pieces += (_LOCAL_HEADER.pack(0x04034B50, *fields, 0), name, data)
        central += (_CENTRAL_HEADER.pack(0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset), name)
        offset += _LOCAL_HEADER.size + len(name) + len(data)
    central = b"".join(central)
    count = len(pieces) // 3
    return b"".join([*pieces, central,
                     _END_OF_CENTRAL_DIRECTORY.pack(0x06054B50, 0, 0, count, count, len(central), offset, 0)])


def _workbook_parts(names):
    """The package's other parts for sheets named names: [(part name, UTF-8 XML)]."""
    n_sheets = range(1, len(names) + 1)
    return [
        ("[Content_Types].xml", CONTENT_TYPES.format(sheets="".join(SHEET_TYPE.format(n=n) for n in n_sheets))),
        ("_rels/.rels", ROOT_RELS),
        ("xl/styles.xml", STYLES),
        ("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in zip(n_sheets, names, strict=True))
            + "</sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" '
                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in n_sheets)
            + f'<Relationship Id="rId{len(names) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>')),
    ]


def xlsx_bytes(sheets):
    """sheets: list of (title, header, rows), like core.exports.xlsx_bytes."""
    names = [re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or f"Blad {n}"
             for n, (title, _header, _rows) in enumerate(sheets, start=1)]
    # [Content_Types].xml first, as Excel writes it (some tools recognise the file by it).
    return _zip([*((name, [xml.encode()]) for name, xml in _workbook_parts(names)),
                 *((f"xl/worksheets/sheet{n}.xml", _sheet_chunks(header, rows))
                   for n, (_title, header, rows) in enumerate(sheets, start=1))])


def xlsx_response(filename, sheets):
    return Response(xlsx_bytes(sheets), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
