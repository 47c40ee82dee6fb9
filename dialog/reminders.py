"""Reminders before a meeting: queued once per registration, N days before the start (the organiser's choice)."""
from datetime import timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from core.extensions import db
from core.mail import send_mail
from core.models import utcnow
from dialog.calendar import meeting_ics
from dialog.models import Meeting, MeetingStatus, Registration, RegistrationStatus
from dialog.registration import personal_url

MAX_DAYS_BEFORE = 60


def due_registrations(now=None):
    """Registered people with an address whose meeting starts within its reminder days and who have not
    been reminded. Someone who registered inside that window is left out: the confirmation just told them."""
    now = now or utcnow()
    meetings = db.session.scalars(sa.select(Meeting).where(
        Meeting.reminder_days_before.is_not(None), Meeting.starts_at > now,
        Meeting.status.in_((MeetingStatus.OPEN, MeetingStatus.PLANNED)))).all()
    due = []
    for meeting in meetings:
        window_opens = meeting.starts_at - timedelta(days=meeting.reminder_days_before)
        if now < window_opens:
            continue
        due.extend(db.session.scalars(sa.select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.REGISTERED,
            Registration.email.is_not(None), Registration.anonymised.is_(False), Registration.reminded_at.is_(None),
            Registration.created_at < window_opens).order_by(Registration.id)).all())
    return due


def send_reminder(registration, now=None):
    """Queue the reminder: when and where, what to bring, and the personal link to change or cancel."""
    meeting = registration.meeting
    body = render_template("dialog/email/reminder.txt", registration=registration, meeting=meeting,
                           link=personal_url(registration))
    # The key holds the start: a meeting moved to a new day may remind again, the same day never twice.
    send_mail(registration.email, _("Påminnelse: %(title)s", title=meeting.title), body,
              attachments=[("mote.ics", "text/calendar", meeting_ics(meeting, now=now))],
              key=f"dialog-reminder:{registration.id}:{meeting.starts_at:%Y%m%d%H%M}", commit=False)
    registration.reminded_at = now or utcnow()


def queue_due_reminders(now=None):
    """The daily run: queue every due reminder; running it again the same day queues nothing more."""
    now = now or utcnow()
    count = 0
    for registration in due_registrations(now):
        send_reminder(registration, now)
        db.session.commit()  # kept per reminder: an error halfway leaves those queued marked
        count += 1
    return count
