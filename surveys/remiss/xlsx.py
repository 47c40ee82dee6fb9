"""A streaming XLSX writer for large text exports (the remissammanställning with hundreds of long answers).

openpyxl builds every cell as an object and takes over a second for 9,000 cells of long text; this writes
the sheet XML directly with inline strings, which is the same file format and several times faster.
The same rules as core.exports apply: no formulas from user text, at most 32,000 characters per cell.
"""
import io
import re
import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape

from flask import Response

from core.exports import XLSX_MIME, _safe_text

# Characters XML 1.0 does not allow; Excel refuses the file if they appear.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_BUT_SEPARATOR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]")
_EPOCH = datetime(1899, 12, 30)
# As core.exports._safe_text: a cell starting with these would run as a formula in Excel.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

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


def _cell(ref, value, style=0):
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="inlineStr"{s}><is><t>{"ja" if value else "nej"}</t></is></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, datetime | date):
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial:.10f}</v></c>'
    text = _ILLEGAL.sub("", _safe_text(str(value)))[:32000]
    return f'<c r="{ref}" t="inlineStr"{s}><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _sheet_xml(header, rows):
    widths = [min(60, max(8, len(str(h)) + 2)) for h in header]
    parts = []
    cols = len(header)
    letters = [_col(i) for i in range(max(cols, 1) + 10)]
    parts.append("<row r=\"1\">" + "".join(_cell(f"{letters[i]}1", str(h), 1) for i, h in enumerate(header))
                 + "</row>")
    # Escape every text cell of the sheet in one pass over one big string: per-cell calls would cost more
    # than the characters themselves. \uffff separates the cells; it is illegal in XML, so it cannot be in a
    # cleaned cell.
    rows = [list(r) for r in rows]
    texts = []
    for row in rows:
        for i, v in enumerate(row):
            if type(v) is str and v:
                if v[0] in _FORMULA_START:
                    v = "'" + v
                if len(v) > 32000:
                    v = v[:32000]
                texts.append(v)
                if i < cols and widths[i] < 60:
                    widths[i] = min(60, max(widths[i], len(v) + 2))
    joined = "\uffff".join(texts)
    if joined.count("\uffff") == len(texts) - 1:
        cleaned = escape(_ILLEGAL_BUT_SEPARATOR.sub("", joined)).split("\uffff") if texts else []
    else:  # a cell holds the separator itself: clean cell by cell
        cleaned = [escape(_ILLEGAL.sub("", t)) for t in texts]
    cleaned = iter(cleaned)
    for n, row in enumerate(rows, start=2):
        cells = []
        for i, v in enumerate(row):
            if i >= len(letters):
                letters.append(_col(i))
            if type(v) is str:
                if v:
                    cells.append(f'<c r="{letters[i]}{n}" t="inlineStr"><is><t xml:space="preserve">{next(cleaned)}'
                                 "</t></is></c>")
            else:
                cells.append(_cell(f"{letters[i]}{n}", v))
        parts.append(f'<row r="{n}">' + "".join(cells) + "</row>")
    col_xml = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>'
        + (f"<cols>{col_xml}</cols>" if col_xml else "")
        + "<sheetData>" + "".join(parts) + "</sheetData></worksheet>"
    )


def xlsx_bytes(sheets):
    """sheets: list of (title, header, rows), like core.exports.xlsx_bytes."""
    out = io.BytesIO()
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, (title, header, rows) in enumerate(sheets, start=1):
            names.append(re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or f"Blad {n}")
            z.writestr(f"xl/worksheets/sheet{n}.xml", _sheet_xml(header, rows))
        z.writestr("[Content_Types].xml", CONTENT_TYPES.format(
            sheets="".join(SHEET_TYPE.format(n=n) for n in range(1, len(names) + 1))))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, name in enumerate(names, start=1))
            + "</sheets></workbook>"))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{n}" '
                      'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                      f'Target="worksheets/sheet{n}.xml"/>' for n in range(1, len(names) + 1))
            + f'<Relationship Id="rId{len(names) + 1}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'))
    return out.getvalue()


def xlsx_response(filename, sheets):
    return Response(xlsx_bytes(sheets), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
