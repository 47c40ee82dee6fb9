"""The streaming XLSX writer produces files openpyxl (and so Excel) reads back as written."""
import io
from datetime import datetime

from openpyxl import load_workbook

from surveys.remiss.xlsx import xlsx_bytes


def test_roundtrip_values_formulas_and_bad_characters():
    when = datetime(2026, 3, 12, 14, 3)
    data = xlsx_bytes([
        ("Svar: [alla]", ["Organisation", "Antal", "Inbjuden", "Inskickat", "Text"],
         [["Förening & <Co>", 3, True, when, "=HYPERLINK(\"x\")"],
          ["Två", 1.5, False, None, "rad\x07ett\nrad två " + "x" * 40000]]),
        ("Tom", ["A"], []),
    ])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Svar   alla ", "Tom"]
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == ["Organisation", "Antal", "Inbjuden", "Inskickat", "Text"]
    assert ws["A2"].value == "Förening & <Co>" and ws["B2"].value == 3 and ws["C2"].value == "ja"
    assert ws["D2"].value == when
    assert ws["E2"].value.startswith("'=")  # never a live formula
    assert ws["E3"].value.startswith("radett\nrad två") and 31_000 < len(ws["E3"].value) <= 32_000
    assert ws["D3"].value is None and ws.freeze_panes == "A2"
