"""Role checks shared by every blueprint, the by-id lookup of a row inside its parent, and the personal API
token lookup."""
from functools import wraps

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from core.extensions import db, login_manager
from core.models import ApiToken, hash_token, utcnow


def role_required(*roles):
    """View decorator: logged in (else to login) and holding one of roles (admin always passes)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_child_or_404(model, row_id, parent, owner):
    """The row of model with this id if it belongs to parent, else 404: a row of another parent does not exist
    here (the parent was looked up for the user already, so this is the access check too).

    owner: the row's column that holds its parent's id, or a function that gives that id from the row.
    """
    row = db.get_or_404(model, row_id)
    if (getattr(row, owner) if isinstance(owner, str) else owner(row)) != parent.id:
        abort(404)
    return row


def user_from_api_token(raw):
    """The active user owning a personal API token, or None."""
    if not raw:
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token.user


def bearer_token():
    """The raw bearer token of the current request, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def api_user():
    """The logged-in user, or the owner of the request's personal API token."""
    if current_user.is_authenticated:
        return current_user
    return user_from_api_token(bearer_token())
