"""GDPR: erase a registrant's personal data on request and anonymise old registrations.

The registration row stays (organisation, attendance, status), so counts per organisation and the
annex of participating organisations stay right after erasure. A signer of the minutes keeps their name
(it is part of the approved minutes), but their email address, only there for the approval link, goes too.
"""
from datetime import timedelta

import sqlalchemy as sa

from core.audit import record
from core.extensions import db
from core.models import utcnow
from core.outbox import forget_address
from dialog.models import Meeting, MinutesSigner, Registration
from dialog.registration import cancel_registration, normalise_email


def anonymise(registration):
    """Blank everything that identifies the person; keep organisation, status and attendance."""
    registration.name = ""
    registration.email = None
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.link_nonce = ""
    registration.anonymised = True


def erase_registration(registration):
    _free_place(registration)
    anonymise(registration)
    record("gdpr.erased", target=registration)
    db.session.commit()


def erase_person(email):
    """Erase every registration held under an email address; returns how many were erased."""
    email = normalise_email(email)
    if not email:
        return 0
    rows = db.session.scalars(sa.select(Registration).where(Registration.email == email)).all()
    for row in rows:
        _free_place(row)
        anonymise(row)
    db.session.execute(sa.update(MinutesSigner).where(sa.func.lower(MinutesSigner.email) == email)
                       .values(email=None))
    record("gdpr.erased", registrations=len(rows))
    forget_address(email)  # the mails to them (confirmations, reminders) held their name and links
    db.session.commit()
    return len(rows)


def _free_place(registration):
    """An erased person will not come: their place goes to the waiting list first."""
    if registration.is_active and registration.meeting.is_upcoming():
        cancel_registration(registration, tell_registrant=False)


def anonymise_older_than(days, now=None):
    """Anonymise registrations of meetings that ended more than `days` days ago; returns the count."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    rows = db.session.scalars(
        sa.select(Registration)
        .join(Meeting, Registration.meeting_id == Meeting.id)
        .where(Meeting.ends_at < cutoff, Registration.anonymised.is_(False))
    ).all()
    for row in rows:
        anonymise(row)
    ended = sa.select(Meeting.id).where(Meeting.ends_at < cutoff)
    db.session.execute(sa.update(MinutesSigner).where(MinutesSigner.meeting_id.in_(ended),
                                                      MinutesSigner.email.is_not(None)).values(email=None))
    record("gdpr.anonymised", registrations=len(rows), older_than_days=days)
    db.session.commit()
    return len(rows)
