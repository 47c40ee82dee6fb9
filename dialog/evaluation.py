"""Evaluation after a meeting, dialog's side: who is asked, and the mail with their personal link.

The evaluation itself is the barometer area's (surveys/barometer/evaluation.py); dialog reaches it only
through core/registry.py: "meeting_evaluation" tells whether the meeting has one, "evaluation_links" gives
each participant's personal link (keyed by registration id, so one person answers once)."""
import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _

from core.extensions import db
from core.mail import send_mail
from core.models import utcnow
from core.registry import choices
from dialog.models import EvaluationMailing, MeetingStateError


def evaluation_of(meeting):
    """{"id", "answers", "results_url"} of the meeting's evaluation, or None (none made, or no barometer area)."""
    return choices(current_app, "meeting_evaluation", meeting_id=meeting.id) or None


def already_mailed(meeting):
    return set(db.session.scalars(
        sa.select(EvaluationMailing.registration_id).where(EvaluationMailing.meeting_id == meeting.id)))


def recipients(meeting):
    """Those present at the meeting who have an address and have not been sent the evaluation yet."""
    done = already_mailed(meeting)
    return [r for r in meeting.registrations
            if r.attended and r.email and not r.anonymised and r.id not in done]


def send_evaluation(meeting, now=None):
    """Mail each participant present their personal link to the evaluation; returns how many were mailed.

    Only after the meeting is held, and never twice to the same registration."""
    if not meeting.is_held:
        raise MeetingStateError(_("Utvärderingen skickas efter mötet. Markera mötet som genomfört först."))
    if evaluation_of(meeting) is None:
        raise MeetingStateError(_("Skapa utvärderingen först."))
    people = recipients(meeting)
    if not people:
        raise MeetingStateError(_("Det finns ingen närvarande med e-postadress som inte redan har fått utvärderingen."))
    links = choices(current_app, "evaluation_links", meeting_id=meeting.id, keys=[r.id for r in people]) or {}
    now = now or utcnow()
    sent = 0
    for registration in people:
        link = links.get(registration.id)
        if not link:
            continue
        send_mail(registration.email, _("Vad tyckte du om %(title)s?", title=meeting.title),
                  render_template("dialog/email/evaluation.txt", registration=registration, meeting=meeting,
                                  link=link))
        # Kept per mail: if the mail server fails halfway, those already sent are not sent again.
        db.session.add(EvaluationMailing(meeting_id=meeting.id, registration_id=registration.id, sent_at=now))
        db.session.commit()
        sent += 1
    return sent
