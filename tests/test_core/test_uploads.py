"""The zip-bomb check that runs before openpyxl or python-docx unpacks an uploaded Office file."""
import io
import zipfile

import pytest
from openpyxl import Workbook

from core.organisations.importing import ImportFileError, report_for_file
from core.uploads import UnsafeArchive, check_office_archive


def zip_of(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buf.getvalue()


def bomb(office_file=None):
    """Twenty megabytes of zeros in a few kilobytes, a ratio no Office file has; added to office_file if given."""
    buf = io.BytesIO(office_file or b"")
    with zipfile.ZipFile(buf, "a" if office_file else "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("padding.bin", b"\0" * (20 * 1024 * 1024))
    return buf.getvalue()


def workbook_bytes():
    wb = Workbook()
    wb.active.append(["Namn"])
    wb.active.append(["Föreningen Gläntan"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_real_workbook_passes():
    wb = Workbook()
    wb.active.append(["Namn", "Organisationsnummer"])
    for n in range(2000):
        wb.active.append([f"Förening {n}", "802473-5832"])
    buf = io.BytesIO()
    wb.save(buf)
    check_office_archive(buf.getvalue())


@pytest.mark.parametrize("data, limits", [
    (b"%PDF-1.4 not a zip", {}),
    (bomb(), {}),
    (zip_of([("a.xml", b"x" * 5000)]), {"max_unpacked": 4000}),
    (zip_of([(f"{n}.xml", b"x") for n in range(11)]), {"max_members": 10}),
])
def test_unsafe_archives_are_refused(data, limits):
    with pytest.raises(UnsafeArchive):
        check_office_archive(data, **limits)


def test_the_organisation_import_refuses_a_bomb_with_its_usual_message(app):
    assert report_for_file("lista.xlsx", workbook_bytes()).rows  # the same file without the padding is read
    with pytest.raises(ImportFileError) as err:
        report_for_file("lista.xlsx", bomb(workbook_bytes()))
    assert "Excel-filen kunde inte läsas" in str(err.value.message)
