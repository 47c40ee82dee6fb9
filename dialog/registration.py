"""Registration for a meeting: capacity, waiting list, personal links, confirmation mail and check-in."""
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from core.extensions import db
from core.mail import external_url, send_mail
from core.models import Organisation, utcnow
from dialog.calendar import calendar_bytes, meeting_ics
from dialog.invitations import note_registration
from dialog.models import Meeting, MeetingStateError, Registration, RegistrationStatus

LINK_SALT = "samrad-dialog-registration"
# register()'s outcome when the address already holds an active registration (else the new row's status).
EXISTING = "existing"


class RegistrationClosed(MeetingStateError):
    """Registration is not open for this meeting (status, deadline or start has passed)."""

    code = "registration_closed"


def normalise_email(email):
    return (email or "").strip().lower() or None


# --- personal link ----------------------------------------------------------------

def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def make_link_token(registration):
    """A signed token naming the registration and its nonce; erasing or rotating the nonce kills it."""
    if not registration.link_nonce:
        registration.link_nonce = secrets.token_hex(8)
    return _serializer().dumps([registration.id, registration.link_nonce])


def link_expires_at(registration):
    """When the personal link stops working: DIALOG_REGISTRATION_LINK_DAYS after the meeting ended (it shows
    name, address, diet and accessibility needs, which nobody needs long after the meeting)."""
    days = current_app.config.get("DIALOG_REGISTRATION_LINK_DAYS", 30)
    return registration.meeting.ends_at + timedelta(days=days)


def registration_from_token(token, now=None):
    """The registration a personal link points at, or None for a tampered, dead or expired link."""
    try:
        reg_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    registration = db.session.get(Registration, reg_id) if isinstance(reg_id, int) else None
    if registration is None or not nonce or registration.link_nonce != nonce or registration.anonymised:
        return None
    if (now or utcnow()) > link_expires_at(registration):
        return None
    return registration


def personal_url(registration):
    """The personal link for a mail: on the public address (BASE_URL), see core.mail.external_url."""
    return external_url("dialog.my_registration", token=make_link_token(registration))


# --- organisation ---------------------------------------------------------------------

def resolve_organisation(organisation_id=None, new_name=""):
    """The registry organisation picked, or a suggested one that an administrator reviews."""
    if organisation_id:
        return db.session.get(Organisation, organisation_id)
    new_name = " ".join((new_name or "").split())
    if not new_name:
        return None
    existing = db.session.scalar(
        sa.select(Organisation).where(sa.func.lower(Organisation.name) == new_name.lower()).limit(1)
    )
    if existing is not None:
        return existing
    org = Organisation(name=new_name[:300], legal_form="ovrigt", needs_review=True)
    db.session.add(org)
    db.session.flush()
    return org


# --- registering -------------------------------------------------------------------------

def _lock_meeting(meeting):
    """Serialise registrations per meeting on PostgreSQL so two people cannot take the last place."""
    db.session.execute(sa.select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def find_registration(meeting, email):
    email = normalise_email(email)
    if not email:
        return None
    return db.session.scalar(
        sa.select(Registration).where(Registration.meeting_id == meeting.id, Registration.email == email)
    )


def has_place(meeting):
    if meeting.capacity is None:
        return True
    taken = db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.REGISTERED
        )
    ) or 0
    return taken < meeting.capacity


def check_open(meeting, now=None):
    now = now or utcnow()
    if meeting.registration_is_open(now):
        return
    if meeting.registration_deadline and meeting.registration_deadline <= now:
        raise RegistrationClosed(_("Sista anmälningsdag har passerat. Kontakta arrangören om du vill delta."))
    raise RegistrationClosed(_("Anmälan till det här mötet är inte öppen."))


def register(meeting, name, email, organisation_id=None, new_organisation="", dietary_needs="",
             accessibility_needs="", consent=False, by_organiser=False, send=True, now=None):
    """Register a person. Returns (registration, outcome): outcome is registered, waiting or existing.

    "existing": the email already holds an active registration; nothing is changed and a mail with the
    personal link is sent to that address, so only its owner can update it.
    Organisers may register by hand after the deadline and beyond capacity (they decide on the spot).
    """
    now = now or utcnow()
    if not by_organiser:
        check_open(meeting, now)
    _lock_meeting(meeting)
    email = normalise_email(email)
    existing = find_registration(meeting, email)
    if existing is not None and existing.is_active:
        if send:
            send_existing_notice(existing)
            db.session.commit()
        return existing, EXISTING
    organisation = resolve_organisation(organisation_id, new_organisation)
    registration = existing or Registration(meeting=meeting, email=email, created_at=now)
    db.session.add(registration)
    registration.name = name.strip()
    registration.organisation = organisation
    registration.organisation_name = organisation.name if organisation else ""
    registration.dietary_needs = (dietary_needs or "").strip()
    registration.accessibility_needs = (accessibility_needs or "").strip()
    registration.consent = bool(consent) or registration.consent
    registration.cancelled_at = None
    registration.link_nonce = secrets.token_hex(8)
    # Not counted while the free places are counted (autoflush would otherwise count this row).
    registration.status = RegistrationStatus.WAITING
    if by_organiser or has_place(meeting):
        registration.status = RegistrationStatus.REGISTERED
    if existing is not None:
        # Back of the queue: a re-registration after cancelling does not jump the waiting list.
        registration.created_at = now
    db.session.flush()
    note_registration(registration, now)
    if send and email:
        send_confirmation(registration)
    db.session.commit()
    return registration, registration.status


def update_registration(registration, name, organisation_id=None, new_organisation="", dietary_needs="",
                        accessibility_needs=""):
    organisation = resolve_organisation(organisation_id, new_organisation)
    registration.name = name.strip()
    registration.organisation = organisation
    registration.organisation_name = organisation.name if organisation else ""
    registration.dietary_needs = (dietary_needs or "").strip()
    registration.accessibility_needs = (accessibility_needs or "").strip()
    db.session.commit()
    return registration


def cancel_registration(registration, send=True, tell_registrant=True, now=None):
    """Cancel and give freed places to the waiting list in order; returns the promoted registrations.

    send: mail the people promoted; tell_registrant: mail the one who cancelled.
    """
    meeting = registration.meeting
    _lock_meeting(meeting)
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.cancel(now=now)
    db.session.flush()
    promoted = promote_waiting(meeting, send=send) if was_registered else []
    if tell_registrant and registration.email:
        send_cancel_notice(registration)
    db.session.commit()
    return promoted


def promote_waiting(meeting, send=True):
    """Move people from the waiting list while there are places, first come first served."""
    if not (meeting.is_open or meeting.is_planned):
        return []
    waiting = db.session.scalars(
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    promoted = []
    for registration in waiting:
        if not has_place(meeting):
            break
        registration.status = RegistrationStatus.REGISTERED
        db.session.flush()
        promoted.append(registration)
        if send and registration.email:
            send_promoted_notice(registration)
    return promoted


# --- mail ------------------------------------------------------------------------------------

def _ics(meeting):
    return meeting_ics(meeting)


def send_confirmation(registration):
    meeting = registration.meeting
    waiting = registration.status == RegistrationStatus.WAITING
    subject = (_("Du står på väntelistan: %(title)s", title=meeting.title) if waiting
               else _("Bekräftelse på anmälan: %(title)s", title=meeting.title))
    body = render_template("dialog/email/confirmation.txt", registration=registration, meeting=meeting,
                           waiting=waiting, link=personal_url(registration),
                           meeting_url=external_url("dialog.meeting", meeting_id=meeting.id))
    attachments = [] if waiting else [("mote.ics", "text/calendar", _ics(meeting))]
    send_mail(registration.email, subject, body, attachments=attachments)


def send_promoted_notice(registration):
    meeting = registration.meeting
    body = render_template("dialog/email/promoted.txt", registration=registration, meeting=meeting,
                           link=personal_url(registration))
    send_mail(registration.email, _("Du har fått en plats: %(title)s", title=meeting.title), body,
              attachments=[("mote.ics", "text/calendar", _ics(meeting))])


def send_cancel_notice(registration):
    meeting = registration.meeting
    body = render_template("dialog/email/cancelled.txt", registration=registration, meeting=meeting)
    send_mail(registration.email, _("Avbokad: %(title)s", title=meeting.title), body)


def send_existing_notice(registration):
    meeting = registration.meeting
    body = render_template("dialog/email/existing.txt", registration=registration, meeting=meeting,
                           link=personal_url(registration))
    send_mail(registration.email, _("Du är redan anmäld: %(title)s", title=meeting.title), body)


def notify_meeting_cancelled(meeting):
    """Tell everyone registered or waiting; the attached calendar file removes the event (METHOD:CANCEL)."""
    ics = calendar_bytes([meeting], method="CANCEL")
    sent = 0
    for registration in meeting.registrations:
        if registration.is_active and registration.email:
            body = render_template("dialog/email/meeting_cancelled.txt", registration=registration, meeting=meeting)
            send_mail(registration.email, _("Inställt: %(title)s", title=meeting.title), body,
                      attachments=[("mote.ics", "text/calendar", ics)])
            sent += 1
    return sent


# --- at the meeting -------------------------------------------------------------------------

def set_attendance(registration, present, now=None):
    if present:
        registration.check_in(now=now)
    else:
        registration.undo_check_in()
    db.session.commit()
    return registration


def add_walk_in(meeting, name, organisation_id=None, new_organisation="", email="", now=None):
    """Someone who came without registering: registered and present at once."""
    now = now or utcnow()
    email = normalise_email(email)
    existing = find_registration(meeting, email) if email else None
    if existing is not None:
        if existing.status != RegistrationStatus.REGISTERED:
            existing.status = RegistrationStatus.REGISTERED
            existing.cancelled_at = None
        existing.check_in(now=now)
        db.session.commit()
        return existing
    organisation = resolve_organisation(organisation_id, new_organisation)
    registration = Registration(
        meeting=meeting, name=name.strip(), email=email, organisation=organisation,
        organisation_name=organisation.name if organisation else "", walk_in=True,
        status=RegistrationStatus.REGISTERED, created_at=now,
    )
    registration.check_in(now=now)
    db.session.add(registration)
    db.session.commit()
    return registration


def checkin_list(meeting, query=""):
    """Active registrations for the check-in list, filtered by name, email or organisation."""
    rows = [r for r in meeting.registrations if r.is_registered]
    query = (query or "").strip().lower()
    if query:
        rows = [r for r in rows if query in (r.name or "").lower() or query in (r.email or "")
                or query in (r.organisation_label or "").lower()]
    return sorted(rows, key=lambda r: ((r.name or "").lower(), r.id))
