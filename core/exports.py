"""CSV and XLSX downloads shared by every blueprint."""
import csv
import io
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return value


def _csv_cell(value):
    """As _cell, with a time the way a person reads it: to the minute, no microseconds, no offset."""
    value = _cell(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def _safe_text(value):
    # A cell starting with = + - @ would be run as a formula by Excel (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_bytes(header, rows):
    buf = io.StringIO()
    # Excel in Sweden opens semicolon-separated UTF-8 with BOM correctly.
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_text(_csv_cell(v)) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def csv_response(filename, header, rows):
    return Response(
        csv_bytes(header, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_bytes(sheets):
    """sheets: list of (title, header, rows)."""
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = bold
        widths = [len(str(h)) for h in header]
        for row in rows:
            values = []
            for i, v in enumerate(row):
                v = _cell(v)
                if isinstance(v, datetime) and v.tzinfo is not None:
                    v = v.replace(tzinfo=None)
                if isinstance(v, str):
                    v = _safe_text(v)[:32000]
                values.append(v)
                if i < len(widths):
                    widths[i] = min(60, max(widths[i], len(str(v)) if not isinstance(v, date) else 16))
            ws.append(values)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, w + 2)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(filename, sheets):
    return Response(
        xlsx_bytes(sheets),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
