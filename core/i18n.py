"""Language choice: the session's, then the user's, then Swedish."""
from flask import current_app, request, session
from flask_login import current_user


def select_locale():
    languages = current_app.config["LANGUAGES"]
    lang = request.args.get("lang") if request else None
    if lang in languages:
        return lang
    lang = session.get("lang")
    if lang in languages:
        return lang
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return current_user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]
