"""The agreement's documents: PDFs kept under instance/ (core/uploads.py), served only as downloads."""
import os

from flask import current_app
from flask_babel import lazy_gettext as _l

from core import uploads
from core.agreements.models import AgreementDocument, AgreementError
from core.extensions import db

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def upload_dir():
    return uploads.upload_dir("AGREEMENTS_UPLOAD_DIR", "agreements")


def store_document(agreement, file_storage, title=""):
    """Store an uploaded PDF; the uploader's file name is only shown, never used as a path."""
    filename = os.path.basename((getattr(file_storage, "filename", "") or "").replace("\\", "/")).strip()[:255]
    data = file_storage.read() if file_storage else b""
    limit = current_app.config.get("AGREEMENTS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not data:
        raise AgreementError(_l("Välj en PDF-fil."), field="file")
    if len(data) > limit:
        raise AgreementError(_l("Filen är för stor. Största tillåtna storlek är %(mb)s MB.",
                                mb=limit // (1024 * 1024)), field="file")
    if not data.startswith(b"%PDF-"):
        raise AgreementError(_l("Filen är inte en PDF."), field="file")
    stored = uploads.store_bytes(upload_dir(), data, "pdf")
    document = AgreementDocument(agreement=agreement, title=(title or filename or "dokument.pdf").strip()[:300],
                                 filename=filename or "dokument.pdf", stored_name=stored, size=len(data))
    db.session.add(document)
    db.session.commit()
    return document


def path_of(document):
    return os.path.join(upload_dir(), document.stored_name)


def remove_document(document):
    uploads.remove_stored(upload_dir(), document.stored_name)
    db.session.delete(document)
    db.session.commit()
