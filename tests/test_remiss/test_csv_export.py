"""The compilation's CSV writer gives the same file as core.exports.csv_bytes, also from UTF-8 bytes."""
from datetime import date, datetime

from core.exports import csv_bytes as core_csv_bytes
from surveys.remiss.csv_export import csv_bytes

ROWS = [
    ["", "a b", " x", "a;b", 'q"q', "l\nl", "r\rr", 1.5, 2, -3, True, False, None, "tab\tx"],
    ["=1", "-2", "@a", "\tz", "+", "åäö;", datetime(2026, 1, 2, 3, 4, 5, 6), date(2026, 1, 2), "vanlig text"],
    [""],
]


def test_same_file_as_core_exports():
    assert csv_bytes(["Avsnitt", "Text"], ROWS) == core_csv_bytes(["Avsnitt", "Text"], ROWS)


def test_texts_as_utf8_bytes_give_the_same_file():
    as_bytes = [[v.encode() if isinstance(v, str) else v for v in row] for row in ROWS]
    assert csv_bytes(["Avsnitt"], as_bytes) == core_csv_bytes(["Avsnitt"], ROWS)
    assert csv_bytes(["A"], [[b"=x", b'"citat"']]).endswith(b"'=x;\"\"\"citat\"\"\"\r\n")
