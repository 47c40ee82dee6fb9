"""The shared CSV writer: Excel-friendly, safe against formulas, times as people read them."""
from datetime import datetime

from core.exports import csv_bytes


def test_csv_is_excel_friendly_and_safe():
    data = csv_bytes(["namn", "skapad", "aktiv"], [
        ["=HYPERLINK(\"x\")", datetime(2026, 11, 27, 3, 27, 41, 347154), True],
        ["Föreningen Gläntan", None, False],
    ])
    assert data.startswith("\ufeff".encode())
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "namn;skapad;aktiv"
    assert lines[1] == '"\'=HYPERLINK(""x"")";2026-11-27 03:27;ja'
    assert lines[2] == "Föreningen Gläntan;;nej"
