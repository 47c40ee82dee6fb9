"""Login throttling per (typed address, source address), and the owner's warning mail.

Replaces the old account lock: anyone could lock anyone out, and only real accounts got the lock message.
Now only the source that keeps failing waits; the answer is the same whether or not the address has an account.
"""
import hashlib
import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.mail import external_url, send_mail
from core.models import LoginThrottle, utcnow


def _window():
    return timedelta(minutes=current_app.config["LOGIN_THROTTLE_MINUTES"])


def _key(email):
    return hashlib.sha256(email.encode()).hexdigest()


def _row(email, source):
    return db.session.scalar(sa.select(LoginThrottle).where(
        LoginThrottle.email_hash == _key(email), LoginThrottle.source == (source or "")[:64]))


def minutes_left(email, source, now=None):
    """Minutes this source must still wait before trying this address again; 0 when it may try."""
    now = now or utcnow()
    row = _row(email, source)
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return 0
    return max(1, math.ceil((row.blocked_until - now).total_seconds() / 60))


def record_failure(email, source, user=None, now=None, retry=True):
    """Count a failed login; return the minutes to wait when this failure reached the limit, else 0.

    user is the account the address belongs to (None if there is none): its owner is mailed once per window.
    """
    now = now or utcnow()
    row = _row(email, source)
    if row is None:
        _forget_old(now)
        row = LoginThrottle(email_hash=_key(email), source=(source or "")[:64], failures=0, window_started_at=now)
        db.session.add(row)
    elif row.window_started_at <= now - _window():
        row.failures, row.window_started_at, row.blocked_until = 0, now, None
    row.failures += 1
    waited = 0
    if row.failures >= current_app.config["LOGIN_MAX_FAILURES"]:
        row.blocked_until = now + _window()
        row.failures, row.window_started_at = 0, now
        waited = current_app.config["LOGIN_THROTTLE_MINUTES"]
        if user is not None and _owner_may_be_told(row.email_hash, now):
            row.notified_at = now
            _tell_owner(user, source)
    try:
        db.session.commit()
    except IntegrityError:
        # Two failures from one source at the same moment both created the row: count this one again on it.
        db.session.rollback()
        if retry:
            return record_failure(email, source, user, now, retry=False)
        raise
    return waited


def _forget_old(now):
    """Rows whose window and wait are long over tell nothing any more."""
    horizon = now - max(_window(), timedelta(days=1))
    db.session.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.window_started_at < horizon,
        sa.or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now)))


def clear(email, source):
    """A correct login from this source forgets its failures."""
    row = _row(email, source)
    if row is not None:
        db.session.delete(row)


def _owner_may_be_told(email_hash, now):
    recent = db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle).where(
        LoginThrottle.email_hash == email_hash, LoginThrottle.notified_at > now - _window()))
    return not recent


def _tell_owner(user, source):
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        send_mail(user.email, _("Misslyckade inloggningsförsök på ditt konto i Samråd"),
                  render_template("core/email/login_attempts.txt", user=user, source=source,
                                  limit=current_app.config["LOGIN_MAX_FAILURES"],
                                  minutes=current_app.config["LOGIN_THROTTLE_MINUTES"],
                                  reset_link=external_url("auth.forgot_password")))
