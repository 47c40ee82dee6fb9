"""The streaming XLSX writer produces files openpyxl (and so Excel) reads back as written."""
import io
import zipfile
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


def _sheet(data, n=0):
    return load_workbook(io.BytesIO(data)).worksheets[n]


def test_text_as_utf8_bytes_is_written_as_the_same_text():
    texts = ["Förening & <Co>", "=SUM(A1)", "rad\x07ett\ufffe\uffff", "\x07@start", "å" * 20_000, "x" * 100]
    as_str = xlsx_bytes([("Blad", ["Text"], [[t] for t in texts])])
    as_bytes = xlsx_bytes([("Blad", ["Text"], [[t.encode()] for t in texts])])
    values = [c.value for c in _sheet(as_bytes)["A"]][1:]
    assert values == [c.value for c in _sheet(as_str)["A"]][1:]
    assert values[:4] == ["Förening & <Co>", "'=SUM(A1)", "radett", "'@start"]
    assert values[4] == "å" * 20_000, "a cap counts characters, not bytes"
    # The column is as wide as its longest text in characters (å is two bytes), at most 60.
    short = _sheet(xlsx_bytes([("Blad", ["T"], [["åäö" * 5], [b"abc"]])]))
    assert short.column_dimensions["A"].width == 17
    assert _sheet(as_bytes).column_dimensions["A"].width == 60


def test_many_rows_are_written_in_chunks_and_read_back_whole():
    rows = [[n, f"Organisation {n % 7}", ("Kommentar " * 50).encode(), None] for n in range(1_234)]
    ws = _sheet(xlsx_bytes([("Per avsnitt", ["Nr", "Organisation", "Kommentar", "Tom"], rows)]))
    assert ws.max_row == 1_235 and ws["A1235"].value == 1_233 and ws["B1235"].value == "Organisation 1"
    assert ws["C2"].value == ("Kommentar " * 50) and ws["D2"].value is None


def test_the_zip_container_is_one_zipfile_reads_and_checks():
    rows = [[n, f"Organisation {n}", ("Kommentar om dialog och öppenhet. " * 40).encode()] for n in range(1_200)]
    data = xlsx_bytes([("Per avsnitt", ["Nr", "Organisation", "Kommentar"], rows), ("Tom", ["A"], [])])
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None  # every entry's CRC and size as its header says
        infos = z.infolist()
        assert [i.filename for i in infos] == [
            "[Content_Types].xml", "_rels/.rels", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
        sheet = z.read("xl/worksheets/sheet1.xml")
        assert sheet.startswith(b'<?xml version="1.0"') and sheet.count(b"<row ") == 1_201
        assert infos[5].compress_size < infos[5].file_size / 10
        assert b'<sheet name="Tom" sheetId="2" r:id="rId2"/>' in z.read("xl/workbook.xml")
    assert _sheet(data)["C1201"].value == "Kommentar om dialog och öppenhet. " * 40
