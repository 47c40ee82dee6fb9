"""Account rules: authentication with lockout, invitations, password reset links, user admin."""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from core.errors import DomainError
from core.extensions import db
from core.mail import send_mail
from core.models import ApiToken, Membership, User, utcnow
from core.signing import fingerprint, sign, unsign


class AuthError(DomainError):
    """A login refused for a reason the user may be told."""

    code = "login_refused"
    status = 401


def start_session(user, remember=False):
    """Log the user in with a fresh session: nothing from before survives (session fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user, remember=remember)


def normalise_email(email):
    return (email or "").strip().lower()


def get_user_by_email(email):
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email, password):
    """Return the user for a correct email and password; raise AuthError otherwise.

    Failed attempts are counted per account; after LOGIN_MAX_FAILURES the account is
    locked for LOGIN_LOCK_MINUTES, and the user is told so on screen.
    """
    user = get_user_by_email(email)
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(
            _("För många misslyckade inloggningar. Kontot är låst i %(minutes)s minuter till.", minutes=minutes)
        )
    if user is None or not user.check_password(password):
        if user is not None:
            user.failed_logins += 1
            limit = current_app.config["LOGIN_MAX_FAILURES"]
            if user.failed_logins >= limit:
                user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
                user.failed_logins = 0
                db.session.commit()
                raise AuthError(
                    _(
                        "För många misslyckade inloggningar. Kontot är låst i %(minutes)s minuter.",
                        minutes=current_app.config["LOGIN_LOCK_MINUTES"],
                    )
                )
            db.session.commit()
        raise AuthError(_("Fel e-postadress eller lösenord."))
    if not user.is_active:
        raise AuthError(_("Kontot är avstängt. Kontakta en administratör."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.commit()
    return user


# --- signed links -------------------------------------------------------------

def _fingerprint(user):
    # Changes when the password is set, so a used reset or invite link stops working.
    return fingerprint(user.password_hash or "unset")


def make_link_token(user, purpose):
    return sign(purpose, {"uid": user.id, "fp": _fingerprint(user)})


def user_from_link_token(token, purpose, max_age):
    """The user a reset/invite link was made for, or None if it is wrong, used or expired."""
    data = unsign(purpose, token, max_age)
    if data is None:
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user


def send_password_reset(email):
    """Mail a reset link if the address has an account. Says nothing either way (no enumeration)."""
    user = get_user_by_email(email)
    if user is None or not user.is_active:
        return False
    token = make_link_token(user, "reset")
    link = url_for("auth.reset_password", token=token, _external=True)
    send_mail(
        user.email,
        _("Återställ ditt lösenord i Samråd"),
        render_template("core/email/reset_password.txt", user=user, link=link),
    )
    return True


def invite_user(email, name, roles, organisation_ids=(), invited_by=None):
    """Create an account without a password and mail a link to set one."""
    email = normalise_email(email)
    user = User(email=email, name=(name or "").strip())
    user.set_roles(roles)
    for org_id in organisation_ids:
        user.memberships.append(Membership(organisation_id=org_id, can_sign=True))
    db.session.add(user)
    db.session.commit()
    send_invitation(user, invited_by)
    return user


def send_invitation(user, invited_by=None):
    token = make_link_token(user, "invite")
    link = url_for("auth.accept_invite", token=token, _external=True)
    send_mail(
        user.email,
        _("Du är inbjuden till Samråd"),
        render_template("core/email/invite.txt", user=user, link=link, invited_by=invited_by),
    )


def update_user(user, name, roles, organisation_ids, active):
    user.name = (name or "").strip()
    user.set_roles(roles)
    wanted = set(organisation_ids)
    user.memberships = [m for m in user.memberships if m.organisation_id in wanted]
    for org_id in wanted - user.organisation_ids:
        user.memberships.append(Membership(organisation_id=org_id, can_sign=True))
    if user.active and not active:
        user.session_token = secrets.token_hex(16)  # ends every session of a blocked user
    user.active = active
    db.session.commit()


def create_api_token(user, name=""):
    row, raw = ApiToken.issue(user, name)
    db.session.add(row)
    db.session.commit()
    return row, raw


def revoke_api_token(token):
    token.revoked_at = utcnow()
    db.session.commit()
