"""Attachments (PDF, Word .docx, OpenDocument .odt): checked by content, stored outside static/, served only
after an access check."""
import io
import os
import zipfile

from flask import abort, current_app, send_file
from flask_babel import gettext as _

from core import uploads
from surveys.remiss.models import RemissError

MAX_PDF_BYTES = 10 * 1024 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# extension -> what the download says it is
KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": ODT_MIMETYPE.decode(),
}


def upload_dir():
    return uploads.upload_dir("REMISS_UPLOAD_DIR", "remiss")


def _not_a_document():
    return RemissError(_("Filen är inte en PDF, ett Word-dokument (.docx) eller ett OpenDocument-dokument (.odt). "
                         "Spara dokumentet i något av de formaten och försök igen."))


def _office_kind(data):
    """'docx' or 'odt' for a real office document, judged by its members, never by its name.

    The zip-bomb check runs on the declared sizes before any member is read.
    """
    try:
        uploads.check_office_archive(data)
    except uploads.UnsafeArchive as exc:
        raise RemissError(_("Filen gick inte att läsa som ett dokument. Spara den på nytt och försök igen.")) from exc
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        if "mimetype" in names and "content.xml" in names:
            info = archive.getinfo("mimetype")
            if info.file_size <= 100 and archive.read("mimetype").strip() == ODT_MIMETYPE:
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise _not_a_document() from exc
    raise _not_a_document()


def read_document(file_storage):
    """(bytes, extension) of an uploaded PDF, .docx or .odt, or RemissError with a clear message."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise RemissError(_("Välj en fil (PDF, .docx eller .odt)."))
    limit = current_app.config.get("REMISS_MAX_UPLOAD_BYTES", MAX_PDF_BYTES)
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise RemissError(_("Filen är för stor. Största tillåtna storlek är %(mb)s MB.", mb=limit // (1024 * 1024)))
    # The name and the browser's content type can lie; the first bytes and the members of the file cannot.
    if data.startswith(b"%PDF-"):
        return data, "pdf"
    if data.startswith(b"PK\x03\x04"):
        return data, _office_kind(data)
    raise _not_a_document()


def read_pdf(file_storage):
    """The bytes of an uploaded file that must be a PDF (kept for callers that accept nothing else)."""
    data, kind = read_document(file_storage)
    if kind != "pdf":
        raise RemissError(_("Filen är inte en PDF. Spara dokumentet som PDF och försök igen."))
    return data


def clean_filename(name, extension="pdf"):
    base = os.path.basename((name or "").replace("\\", "/")).strip() or f"bilaga.{extension}"
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:/|?*')[:200]
    if not base.lower().endswith("." + extension):
        base += "." + extension
    return base


def store(data, extension="pdf"):
    """Write the bytes under a random name; returns the stored name."""
    return uploads.store_bytes(upload_dir(), data, extension)


def remove(stored_name):
    uploads.remove_stored(upload_dir(), stored_name)


def pdf_response(attachment):
    """The attachment as a download (any of the accepted kinds; the name is kept for existing callers)."""
    path = os.path.join(upload_dir(), attachment.stored_name)
    if not os.path.exists(path):
        abort(404)
    extension = attachment.stored_name.rsplit(".", 1)[-1]
    response = send_file(path, mimetype=KINDS.get(extension, "application/octet-stream"), as_attachment=True,
                         download_name=attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
