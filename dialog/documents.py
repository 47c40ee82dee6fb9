"""Documents attached to a meeting: stored outside static/, checked by content, served as attachments."""
import io
import os
import zipfile

from flask import current_app
from flask_babel import gettext as _

from core import uploads
from core.errors import DomainError
from core.extensions import db
from dialog.models import MeetingDocument

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# Detected type → (mimetype, allowed extensions). The name a person gave is only used for display.
TYPES = {
    "pdf": ("application/pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {"pptx"}),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
    "odp": ("application/vnd.oasis.opendocument.presentation", {"odp"}),
    "ole": ("application/octet-stream", {"doc", "xls", "ppt"}),
}
OLE_MIMETYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel",
                 "ppt": "application/vnd.ms-powerpoint"}


class DocumentRejected(DomainError):
    """str() is the Swedish reason shown beside the file field."""

    code = "document_rejected"


def upload_dir():
    return uploads.upload_dir("DIALOG_UPLOAD_DIR", "dialog")


def detect_type(data):
    """The document type from its bytes, or None. Raises uploads.UnsafeArchive for a zip bomb."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        # Sizes first: a member that unpacks to a gigabyte is refused before any member is read.
        uploads.check_office_archive(data)
        try:
            with archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    with archive.open("mimetype") as member:
                        kind = member.read(100).decode("ascii", "replace").strip()
                    for key in ("odt", "ods", "odp"):
                        if kind == TYPES[key][0]:
                            return key
                if "[Content_Types].xml" in names:
                    for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
                        if any(n.startswith(prefix) for n in names):
                            return key
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return None


def store_document(meeting, file_storage, title="", public=True, user=None):
    filename = os.path.basename((file_storage.filename or "").replace("\\", "/")).strip()[:255]
    data = file_storage.read()
    limit = current_app.config.get("DIALOG_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not data:
        raise DocumentRejected(_("Filen är tom."))
    if len(data) > limit:
        raise DocumentRejected(_("Filen är för stor. Största tillåtna storlek är %(mb)d MB.",
                                 mb=limit // (1024 * 1024)))
    try:
        kind = detect_type(data)
    except uploads.UnsafeArchive:
        raise DocumentRejected(_("Filen packas upp till mycket mer än ett vanligt kontorsdokument och kan inte "
                                 "tas emot. Spara den på nytt och försök igen.")) from None
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind is None or extension not in TYPES[kind][1]:
        raise DocumentRejected(_("Filen är inte en PDF eller ett kontorsdokument (Word, Excel, PowerPoint, "
                                 "OpenDocument)."))
    mimetype = OLE_MIMETYPES[extension] if kind == "ole" else TYPES[kind][0]
    stored_name = uploads.store_bytes(upload_dir(), data, extension)
    document = MeetingDocument(meeting=meeting, title=(title or filename).strip()[:300], filename=filename,
                               stored_name=stored_name, mimetype=mimetype, size=len(data), public=public,
                               uploaded_by_id=getattr(user, "id", None))
    db.session.add(document)
    db.session.commit()
    return document


def document_path(document):
    return os.path.join(upload_dir(), document.stored_name)


def delete_document(document):
    stored_name = document.stored_name
    db.session.delete(document)
    db.session.commit()
    uploads.remove_stored(upload_dir(), stored_name)
