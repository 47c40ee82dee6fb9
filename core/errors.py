"""Error pages in the layout, in the user's language; JSON for the API."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from core.extensions import db


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _json_error(code, error, message):
    return {"error": error, "message": message}, code


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        if wants_json():
            return _json_error(400, "csrf", _("Sidan var för gammal. Ladda om och försök igen."))
        return render_template("errors/csrf.html"), 400

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
