"""Signed, expiring links (password reset, account invitation, approval of minutes): one salt per purpose."""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


def salt(purpose):
    return f"samrad-{purpose}"


def sign(purpose, data):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt(purpose)).dumps(data)


def unsign(purpose, token, max_age):
    """The data signed for this purpose, or None if the token is wrong or older than max_age seconds."""
    try:
        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt(purpose)).loads(
            token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None


def fingerprint(text):
    """A short hash put in a link, so the link stops working when the text it was made from changes."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]
