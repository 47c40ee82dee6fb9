"""Unit tests of the organisation import: reading CSV and XLSX, and the row-by-row report."""
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from core.models import Organisation
from core.organisations import importing
from core.organisations.importing import CREATE, REJECTED, SKIPPED, UNCHANGED, UPDATE, ImportFileError


@pytest.fixture(autouse=True)
def _upload_dir(app, tmp_path, monkeypatch):
    """Uploads kept between preview and confirm go to the test's own folder, not instance/."""
    monkeypatch.setitem(app.config, "ORG_IMPORT_DIR", str(tmp_path / "org_imports"))


def csv_file(text, bom=False, encoding="utf-8"):
    return (("\ufeff" if bom else "") + text).encode(encoding)


def xlsx_file(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def by_line(report):
    return {r.line: r for r in report.rows}


def reasons(row):
    return " ".join(str(r) for r in row.reasons)


def count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))


def test_csv_with_bom_and_semicolons(app, db):
    data = csv_file("Namn;Organisationsnummer;Juridisk form;Delregion;E-post;Webbplats;Anteckningar\r\n"
                    "Social Ekonomi Fyrbodal;8024735832;Nätverk/plattform;Fyrbodal;info@fyrbodal.example;"
                    "fyrbodal.example;Plattform\r\n", bom=True)
    report = importing.report_for_file("lista.csv", data)
    assert report.kind == "csv" and not report.ignored_columns
    row = by_line(report)[2]
    assert row.action == CREATE, reasons(row)
    assert row.values == {"name": "Social Ekonomi Fyrbodal", "org_number": "802473-5832", "legal_form": "natverk",
                          "sub_region": "fyrbodal", "contact_email": "info@fyrbodal.example",
                          "website": "https://fyrbodal.example", "notes": "Plattform"}
    assert count(db) == 0  # the preview writes nothing
    importing.apply_report(report)
    org = db.session.scalar(sa.select(Organisation))
    assert org.org_number == "802473-5832" and org.website == "https://fyrbodal.example"


def test_csv_with_commas_and_english_headers_and_codes(app, db):
    data = csv_file('name,org_number,legal_form,sub_region,email,website,notes\n'
                    '"Coompanion, Värmland",,ekonomisk_forening,varmland,,,\n'
                    'Fritidsbanken,,Förening,Värmland,,,\n')
    report = importing.report_for_file("list.csv", data)
    rows = by_line(report)
    assert rows[2].action == CREATE and rows[2].values["name"] == "Coompanion, Värmland"
    assert rows[2].values["legal_form"] == "ekonomisk_forening" and rows[2].values["sub_region"] == "varmland"
    assert rows[3].values["legal_form"] == "forening" and rows[3].values["sub_region"] == "varmland"


def test_windows_1252_csv_is_read_and_flagged(app):
    data = csv_file("namn;delregion\nFöreningen Å;Sjuhärad\n", encoding="cp1252")
    report = importing.report_for_file("lista.csv", data)
    assert report.legacy_encoding
    assert by_line(report)[2].values == {"name": "Föreningen Å", "sub_region": "sjuharad", "legal_form": "ovrigt",
                                         "notes": ""}


def test_report_has_every_kind_of_row(app, db, make_organisation):
    make_organisation("Social Ekonomi Sjuhärad", org_number="802469-9889", legal_form="natverk",
                      sub_region="sjuharad")
    make_organisation("Röda korset", legal_form="forening")
    make_organisation("RSMH Värmland", legal_form="forening")
    make_organisation("Dubbelnamn")
    make_organisation("dubbelnamn")
    make_organisation("Annan Fyrbodal", org_number="769607-4496")
    data = csv_file(
        "namn;organisationsnummer;juridisk form;delregion;e-post;webbplats;okänd kolumn\n"
        "Ny förening;802418-4734;förening;Skaraborg;;;x\n"                       # 2 create
        "Social Ekonomi Sjuhärad;8024699889;natverk;sjuharad;ny@sjuharad.se;;\n"  # 3 update by number
        "RÖDA KORSET;;;;;;\n"                                                    # 4 unchanged by name
        "rsmh värmland;;stiftelse;;;;\n"                                         # 5 update by name
        ";802473-5832;;;;;\n"                                                    # 6 missing name
        "Fel format;12345;;;;;\n"                                                # 7 bad number
        "Fel Luhn;802473-5833;;;;;\n"                                            # 8 Luhn
        "Ny förening igen;8024184734;;;;;\n"                                     # 9 duplicate number in file
        "Okänd form;;aktiebolag;;;;\n"                                           # 10 unknown legal form
        "Okänd region;;;Atlantis;;;\n"                                           # 11 unknown sub-region
        "Dålig e-post;;;;inte-en-adress;;\n"                                     # 12 bad email
        "Dålig webb;;;;;ftp://x.se;\n"                                           # 13 bad website
        ";;;;;;\n"                                                               # 14 blank
        "Dubbelnamn;;;;;;\n"                                                     # 15 ambiguous name
        "Annan Fyrbodal;232100-0131;;;;;\n"                                      # 16 same name, other number
        "ny FÖRENING;;;;;;\n"                                                    # 17 duplicate name in file
    )
    report = importing.report_for_file("lista.csv", data)
    rows = by_line(report)
    assert len(report.rows) == 16  # every line after the header is in the report
    assert report.ignored_columns == ["okänd kolumn"]
    assert rows[2].action == CREATE
    assert rows[3].action == UPDATE and rows[3].changes == ["contact_email"]
    assert rows[4].action == UNCHANGED
    assert rows[5].action == UPDATE and rows[5].changes == ["legal_form"]
    assert rows[6].action == REJECTED and "Namn saknas" in reasons(rows[6])
    assert rows[7].action == REJECTED and "NNNNNN-NNNN" in reasons(rows[7])
    assert rows[8].action == REJECTED and "Kontrollsiffran stämmer inte" in reasons(rows[8])
    assert rows[9].action == REJECTED and "rad 2" in reasons(rows[9])
    assert rows[10].action == REJECTED and "aktiebolag" in reasons(rows[10])
    assert rows[11].action == REJECTED and "Atlantis" in reasons(rows[11])
    assert rows[12].action == REJECTED and "e-postadress" in reasons(rows[12])
    assert rows[13].action == REJECTED and "webbadress" in reasons(rows[13])
    assert rows[14].action == SKIPPED
    assert rows[15].action == REJECTED and "Flera organisationer" in reasons(rows[15])
    assert rows[16].action == REJECTED and "769607-4496" in reasons(rows[16])
    assert rows[17].action == REJECTED and "rad 2" in reasons(rows[17])  # Ö and ö are the same letter
    assert report.counts == {CREATE: 1, UPDATE: 2, UNCHANGED: 1, REJECTED: 11, SKIPPED: 1}

    before = count(db)
    importing.apply_report(report)
    db.session.expire_all()
    assert count(db) == before + 1
    sjuharad = db.session.scalar(sa.select(Organisation).where(Organisation.org_number == "802469-9889"))
    assert sjuharad.contact_email == "ny@sjuharad.se" and sjuharad.sub_region == "sjuharad"
    rsmh = db.session.scalar(sa.select(Organisation).where(Organisation.name == "RSMH Värmland"))
    assert rsmh.legal_form == "stiftelse"


def test_blank_cells_leave_existing_values(app, db, make_organisation):
    make_organisation("Fritidsbanken", org_number="802418-4734", contact_email="a@b.se", notes="Viktig")
    report = importing.report_for_file("x.csv", csv_file("namn;organisationsnummer;e-post;anteckningar\n"
                                                         "Fritidsbanken;802418-4734;;\n"))
    assert report.rows[0].action == UNCHANGED


def test_name_match_adds_missing_number(app, db, make_organisation):
    org = make_organisation("Fritidsbanken")
    report = importing.report_for_file("x.csv", csv_file("namn;organisationsnummer\nFritidsbanken;8024184734\n"))
    assert report.rows[0].action == UPDATE and report.rows[0].organisation_id == org.id
    importing.apply_report(report)
    assert db.session.get(Organisation, org.id).org_number == "802418-4734"


def test_xlsx_built_in_the_test(app, db):
    data = xlsx_file([
        ["Namn", "Organisationsnummer", "Juridisk form", "Delregion", "E-post"],
        ["Göteborgsregionens sociala ekonomi", "769607-4496", "Nätverk/plattform", "Göteborgsregionen", None],
        [None, None, None, None, None],
        ["Västra Götalandsregionen", 2321000131, "offentlig", None, "info@vgregion.example"],
        ["Fel", "232100-0132", None, None, None],
    ])
    report = importing.report_for_file("register.xlsx", data)
    assert report.kind == "xlsx"
    rows = by_line(report)
    assert rows[2].action == CREATE and rows[2].values["sub_region"] == "goteborgsregionen"
    assert rows[3].action == SKIPPED
    # A number stored as a number in Excel still reads as ten digits.
    assert rows[4].action == CREATE and rows[4].values["org_number"] == "232100-0131"
    assert rows[5].action == REJECTED and "Kontrollsiffran" in reasons(rows[5])
    importing.apply_report(report)
    assert count(db) == 2


@pytest.mark.parametrize("filename, data, fragment", [
    ("lista.pdf", b"%PDF-1.4", "CSV-fil"),
    ("lista.xls", b"\xd0\xcf\x11\xe0", ".xls"),
    ("lista.xlsx", b"namn;org\n", "CSV-fil"),
    ("lista.csv", b"", "tom"),
    ("lista.xlsx", b"PK\x03\x04broken", "Excel-filen kunde inte"),
    ("lista.csv", "juridisk form;e-post\nförening;a@b.se\n".encode(), "ingen kolumn för namn"),
    ("lista.csv", b"\n\n", "inga rader"),
])
def test_bad_files_get_a_clear_message(app, filename, data, fragment):
    with pytest.raises(ImportFileError) as err:
        importing.report_for_file(filename, data)
    assert fragment.lower() in str(err.value.message).lower()


def test_apply_is_one_transaction(app, db, monkeypatch):
    report = importing.report_for_file("x.csv", csv_file("namn\nEtt\nTvå\n"))
    real_get = db.session.flush
    calls = {"n": 0}

    def failing_flush(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_get(*args, **kwargs)

    monkeypatch.setattr(db.session, "flush", failing_flush)
    with pytest.raises(RuntimeError):
        importing.apply_report(report)
    monkeypatch.undo()
    assert count(db) == 0


def test_upload_storage_round_trip_and_rejects_bad_ids(app):
    upload_id = importing.store_upload(b"namn\nEtt\n", "csv")
    assert importing.load_upload(upload_id, "csv") == b"namn\nEtt\n"
    assert importing.load_upload("../../etc/passwd", "csv") is None
    assert importing.load_upload(upload_id, "exe") is None
    importing.delete_upload(upload_id, "csv")
    assert importing.load_upload(upload_id, "csv") is None


def test_stale_uploads_are_removed(app):
    upload_id = importing.store_upload(b"x", "csv")
    importing.remove_stale_uploads(max_age=-1)
    assert importing.load_upload(upload_id, "csv") is None
