"""Error pages in the layout, in the user's language; JSON for the API. One table drives them all."""
from urllib.parse import urlsplit

from flask import render_template, request
from flask_babel import lazy_gettext as _l
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


# status → (code word for JSON, page title, what the page says; the JSON message is the shorter `short`).
ERRORS = {
    400: ("bad_request", _l("Felaktig begäran"),
          _l("Det som skickades gick inte att förstå. Gå tillbaka och försök igen."),
          _l("Felaktig begäran.")),
    403: ("forbidden", _l("Du har inte behörighet"),
          _l("Din roll ger inte tillgång till den här sidan. Kontakta en administratör om du behöver den."),
          _l("Du har inte behörighet till det här.")),
    404: ("not_found", _l("Sidan finns inte"),
          _l("Vi hittar inte sidan du söker. Den kan ha flyttats, eller så är adressen felstavad."),
          _l("Det du söker finns inte.")),
    405: ("method_not_allowed", _l("Sidan finns inte"),
          _l("Vi hittar inte sidan du söker. Den kan ha flyttats, eller så är adressen felstavad."),
          _l("Den metoden stöds inte här.")),
    413: ("too_large", _l("Filen är för stor"),
          _l("Filen du skickade är för stor. Välj en mindre fil och försök igen."),
          _l("Filen är för stor.")),
    429: ("rate_limited", _l("För många försök"),
          _l("Du har gjort för många försök på kort tid. Vänta en stund och försök sedan igen."),
          _l("För många försök. Vänta en stund och försök igen.")),
    500: ("server_error", _l("Något gick fel"),
          _l("Ett fel uppstod hos oss. Inget av det som redan var sparat har gått förlorat. "
             "Försök igen om en stund."),
          _l("Något gick fel hos oss. Försök igen om en stund.")),
}
CSRF_MESSAGE = _l("Sidan var för gammal. Ladda om och försök igen.")
CSRF_TITLE = _l("Sidan hade gått ut")


def error_response(status, message=None, code=None, **extra):
    """The answer for an error: the table's JSON for API/JSON requests, else errors/error.html.

    `message` (a DomainError's) replaces the table's text; a status missing from the table borrows 400's or
    500's words.
    """
    fallback = ERRORS[500] if status >= 500 else ERRORS[400]
    table_code, title, text, short = ERRORS.get(status, fallback)
    if wants_json():
        return json_error(status, code or table_code, message or short, **extra)
    return render_template("errors/error.html", title=title, message=message or text), status


# Never written back into a page: what was typed in these is asked for again.
SECRET_FIELDS = ("password", "confirm", "current", "token")


def _same_origin():
    """True when the refused post came from one of our own pages (Origin, else Referer, names our host)."""
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
            return json_error(400, "csrf", CSRF_MESSAGE)
        # The session (and its key) is gone, but not what the user typed: offer to send it again.
        return render_template("errors/csrf.html", title=CSRF_TITLE, fields=resubmittable_fields(),
                               action=request.full_path), 400

    def http_error(exc):
        if exc.code >= 500:
            db.session.rollback()
        return error_response(exc.code)

    for status in ERRORS:  # 500 also catches any exception no view handled
        app.register_error_handler(status, http_error)

    @app.errorhandler(DomainError)
    def domain_error(exc):
        # A rule refused something and no view caught it: answer its status with its own message.
        db.session.rollback()
        return error_response(exc.status, exc.message, exc.code, **exc.extra)
