"""PDF uploads: checked by content, stored outside static/, served only after an access check."""
import os

from flask import abort, current_app, send_file
from flask_babel import gettext as _

from core import uploads
from surveys.remiss.models import RemissError

MAX_PDF_BYTES = 10 * 1024 * 1024


def upload_dir():
    return uploads.upload_dir("REMISS_UPLOAD_DIR", "remiss")


def read_pdf(file_storage):
    """The bytes of an uploaded PDF, or RemissError with a clear message."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise RemissError(_("Välj en PDF-fil."))
    limit = current_app.config.get("REMISS_MAX_UPLOAD_BYTES", MAX_PDF_BYTES)
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise RemissError(_("Filen är för stor. Största tillåtna storlek är %(mb)s MB.", mb=limit // (1024 * 1024)))
    # The name and the browser's content type can lie; the first bytes of a real PDF cannot.
    if not data.startswith(b"%PDF-"):
        raise RemissError(_("Filen är inte en PDF. Spara dokumentet som PDF och försök igen."))
    return data


def clean_filename(name):
    base = os.path.basename((name or "").replace("\\", "/")).strip() or "bilaga.pdf"
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:/|?*')[:200]
    if not base.lower().endswith(".pdf"):
        base += ".pdf"
    return base


def store(data):
    """Write the bytes under a random name; returns the stored name."""
    return uploads.store_bytes(upload_dir(), data, "pdf")


def remove(stored_name):
    uploads.remove_stored(upload_dir(), stored_name)


def pdf_response(attachment):
    path = os.path.join(upload_dir(), attachment.stored_name)
    if not os.path.exists(path):
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=attachment.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
