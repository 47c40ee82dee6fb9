"""Account rules: authentication with throttling, invitations, password reset links, user admin."""
import secrets

import sqlalchemy as sa
from flask import render_template, session
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.security import check_password_hash, generate_password_hash

from core.audit import record
from core.auth import throttle
from core.errors import DomainError
from core.extensions import db
from core.mail import external_url, send_mail
from core.models import ApiToken, Membership, User, utcnow
from core.signing import fingerprint, sign, unsign


class AuthError(DomainError):
    """A login refused for a reason the user may be told."""

    code = "login_refused"
    status = 401


# A scrypt hash of a random password, checked when the address has no account, so both answers take as long
# (before: 0.24 s with an account, 0.006 s without, which told who has one).
DUMMY_PASSWORD_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")


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


def _throttled(minutes):
    return AuthError(_("För många misslyckade inloggningar från din adress. Försök igen om %(minutes)s minuter.",
                       minutes=minutes), code="login_throttled", status=429)


def authenticate(email, password, source=None):
    """Return the user for a correct email and password; raise AuthError otherwise.

    Failures are counted per typed address and source address (core.auth.throttle): after LOGIN_MAX_FAILURES
    that source waits LOGIN_THROTTLE_MINUTES, while the owner elsewhere logs in as usual. An address with an
    account and one without get the same words, status and (through the dummy hash) time.
    """
    email = normalise_email(email)
    now = utcnow()
    waiting = throttle.minutes_left(email, source, now)
    if waiting:
        raise _throttled(waiting)
    user = get_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(DUMMY_PASSWORD_HASH, password or "")
        correct = False
    else:
        correct = user.check_password(password)
    if not correct:
        minutes = throttle.record_failure(email, source, user, now)
        if minutes:
            raise _throttled(minutes)
        raise AuthError(_("Fel e-postadress eller lösenord."))
    if not user.is_active:
        raise AuthError(_("Kontot är avstängt. Kontakta en administratör."))
    throttle.clear(email, source)
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
    link = external_url("auth.reset_password", token=token)
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
    record("user.invited", target=user, roles=user.roles, organisation_ids=organisation_ids)
    db.session.commit()
    send_invitation(user, invited_by)
    return user


def send_invitation(user, invited_by=None):
    token = make_link_token(user, "invite")
    link = external_url("auth.accept_invite", token=token)
    send_mail(
        user.email,
        _("Du är inbjuden till Samråd"),
        render_template("core/email/invite.txt", user=user, link=link, invited_by=invited_by),
    )


def update_user(user, name, roles, organisation_ids, active):
    before = (user.roles, user.organisation_ids, user.active)
    user.name = (name or "").strip()
    user.set_roles(roles)
    wanted = set(organisation_ids)
    user.memberships = [m for m in user.memberships if m.organisation_id in wanted]
    for org_id in wanted - user.organisation_ids:
        user.memberships.append(Membership(organisation_id=org_id, can_sign=True))
    if user.active and not active:
        user.session_token = secrets.token_hex(16)  # ends every session of a blocked user
    user.active = active
    if before != (user.roles, user.organisation_ids, user.active):
        record("user.roles_changed", target=user, roles_before=before[0], roles=user.roles,
               organisation_ids_before=before[1], organisation_ids=user.organisation_ids,
               active_before=before[2], active=user.active)
    db.session.commit()


def create_api_token(user, name=""):
    row, raw = ApiToken.issue(user, name)
    db.session.add(row)
    record("api_token.created", target=row, user_id=user.id)
    db.session.commit()
    return row, raw


def revoke_api_token(token):
    token.revoked_at = utcnow()
    record("api_token.revoked", target=token, user_id=token.user_id)
    db.session.commit()
