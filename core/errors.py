"""Error pages in the layout, in the user's language; JSON for the API."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from core.extensions import db


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


class DomainError(ValueError):
    """A rule of the domain refused what was asked. Every area's errors subclass this.

    `message` is for the user (Swedish, translated lazily); `code` is a short machine word for the JSON API;
    `status` is the HTTP status a view answers with when it lets the error through.
    """

    code = "invalid"
    status = 400

    def __init__(self, message=None, *, code=None, status=None, **extra):
        self.message = message if message is not None else (self.args[0] if self.args else "")
        super().__init__(message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.extra = extra

    def __str__(self):
        return str(self.message)

    def to_json(self):
        return json_error(self.status, self.code, self.message, **self.extra)


def json_error(status, code, message, **extra):
    """The one JSON error shape: ({"error": code, "message": text, ...}, status)."""
    return {"error": code, "message": str(message), **extra}, status


def _json_error(code, error, message):
    return json_error(code, error, message)


# Never written back into a page: what was typed in these is asked for again.
SECRET_FIELDS = ("password", "confirm", "current", "token")


def _same_origin():
    """True when the refused post came from one of our own pages (Origin, else Referer, names our host)."""
    from urllib.parse import urlsplit

    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return (parts.scheme, parts.netloc) == (request.scheme, request.host)


def resubmittable_fields():
    """What a refused form post held, to send again with a fresh token; None if it may not be offered.

    Offered only for a post from our own pages (a forged cross-site post must not come back with a valid token
    and a button), without files or secrets (passwords are typed again).
    """
    if request.method != "POST" or request.files or not request.form or not _same_origin():
        return None
    fields = [(key, value) for key, value in request.form.items(multi=True) if key != "csrf_token"]
    if not fields or any(any(word in key.lower() for word in SECRET_FIELDS) for key, _value in fields):
        return None
    return fields


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        if wants_json():
            return _json_error(400, "csrf", _("Sidan var för gammal. Ladda om och försök igen."))
        # The session (and its key) is gone, but not what the user typed: offer to send it again.
        return render_template("errors/csrf.html", fields=resubmittable_fields(), action=request.full_path), 400

    @app.errorhandler(403)
    def forbidden(exc):
        if wants_json():
            return _json_error(403, "forbidden", _("Du har inte behörighet till det här."))
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(exc):
        if wants_json():
            return _json_error(404, "not_found", _("Det du söker finns inte."))
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def method_not_allowed(exc):
        if wants_json():
            return _json_error(405, "method_not_allowed", _("Den metoden stöds inte här."))
        return render_template("errors/404.html"), 405

    @app.errorhandler(413)
    def too_large(exc):
        if wants_json():
            return _json_error(413, "too_large", _("Filen är för stor."))
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def too_many(exc):
        if wants_json():
            return _json_error(429, "rate_limited", _("För många försök. Vänta en stund och försök igen."))
        return render_template("errors/429.html"), 429

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        if wants_json():
            return _json_error(500, "server_error", _("Något gick fel hos oss. Försök igen om en stund."))
        return render_template("errors/500.html"), 500
