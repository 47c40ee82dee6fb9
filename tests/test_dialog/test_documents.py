"""Documents: checked by content, size-limited, stored outside static/, served after the access check."""
import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from dialog.documents import DocumentRejected, detect_type, document_path, store_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def upload(data, name):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def test_detect_type():
    assert detect_type(PDF) == "pdf"
    assert detect_type(docx_bytes()) == "docx"
    assert detect_type(b"PK\x03\x04garbage") is None
    assert detect_type(b"<html><script>") is None


def odt_bomb():
    """A small .odt whose mimetype member unpacks to 20 MB: the right type, then spaces (strip() keeps it valid)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text" + " " * (20 * 1024 * 1024))
        archive.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def test_an_office_zip_bomb_is_refused_before_any_member_is_read(make_meeting, upload_dir, monkeypatch):
    """Issue 9.9 (fails before: detect_type read the whole mimetype member, and the .odt was stored)."""
    data = odt_bomb()
    assert len(data) < 100 * 1024
    read = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: read.append(a) or real_open(self, *a, **k))
    with pytest.raises(DocumentRejected, match="packas upp"):
        store_document(make_meeting(), upload(data, "Protokoll.odt"))
    assert read == []
    assert not list(upload_dir.glob("*")) if upload_dir.exists() else True


def test_store_and_reject(make_meeting, upload_dir, app, monkeypatch):
    meeting = make_meeting()
    doc = store_document(meeting, upload(PDF, "../../Inbjudan.pdf"), "Inbjudan")
    assert doc.filename == "Inbjudan.pdf" and doc.mimetype == "application/pdf"
    path = document_path(doc)
    assert path.startswith(str(upload_dir))
    with open(path, "rb") as stored:
        assert stored.read() == PDF
    assert store_document(meeting, upload(docx_bytes(), "Program.docx")).mimetype.endswith("document")
    with pytest.raises(DocumentRejected, match="inte en PDF"):
        store_document(meeting, upload(b"<html>", "fake.pdf"))
    with pytest.raises(DocumentRejected, match="inte en PDF"):
        store_document(meeting, upload(PDF, "renamed.exe"))
    with pytest.raises(DocumentRejected, match="tom"):
        store_document(meeting, upload(b"", "empty.pdf"))
    monkeypatch.setitem(app.config, "DIALOG_UPLOAD_MAX_BYTES", 10)
    with pytest.raises(DocumentRejected, match="för stor"):
        store_document(meeting, upload(PDF, "big.pdf"))
