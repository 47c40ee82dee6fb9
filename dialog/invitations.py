"""Inviting organisations to a meeting: choosing them, a personal link each, what became of every invitation."""
import secrets
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from core import outbox as outbox_svc
from core import signing
from core.agreements.groups import group_choices
from core.agreements.models import Agreement, GroupMember, Signatory
from core.extensions import db
from core.mail import external_url
from core.models import LEGAL_FORMS, SUB_REGIONS, Organisation, OutboxMessage, utcnow
from core.timeutil import utc_to_local
from dialog.calendar import meeting_ics
from dialog.models import (
    InvitationOptOut,
    InvitationStatus,
    Meeting,
    MeetingInvitation,
    MeetingStateError,
    MeetingStatus,
    Registration,
)

LINK_PURPOSE = "dialog-invitation"
UNSUBSCRIBE_PURPOSE = "dialog-invitation-unsubscribe"
PLATFORM_FORM = "natverk"


class InvitationError(MeetingStateError):
    """An invitation that cannot be sent (the meeting is over or cancelled, nobody chosen…)."""

    code = "invitation_refused"


@dataclass
class Selection:
    """Whom the organiser chose. Legal forms and sub-regions narrow each other (föreningar in Fyrbodal);
    platforms, earlier meetings, standing groups, an agreement's signatories and organisations picked by hand
    each add to the list."""

    legal_forms: list = field(default_factory=list)
    sub_regions: list = field(default_factory=list)
    platform_ids: list = field(default_factory=list)
    attended_meeting_ids: list = field(default_factory=list)
    group_ids: list = field(default_factory=list)
    agreement_ids: list = field(default_factory=list)
    organisation_ids: list = field(default_factory=list)

    @property
    def empty(self):
        return not any((self.legal_forms, self.sub_regions, self.platform_ids, self.attended_meeting_ids,
                        self.group_ids, self.agreement_ids, self.organisation_ids))


@dataclass
class Preview:
    """Who would get an invitation, who cannot (and why), and the reach by legal form and sub-region."""

    to_invite: list = field(default_factory=list)
    without_email: list = field(default_factory=list)
    opted_out: list = field(default_factory=list)
    already_invited: list = field(default_factory=list)

    @property
    def by_legal_form(self):
        return reach(self.to_invite)[0]

    @property
    def by_sub_region(self):
        return reach(self.to_invite)[1]


def reach(organisations):
    """([(legal form label, count)], [(sub-region label, count)]), largest first."""
    forms = Counter(str(LEGAL_FORMS.get(o.legal_form, o.legal_form)) for o in organisations)
    regions = Counter(str(SUB_REGIONS.get(o.sub_region, o.sub_region)) if o.sub_region else _("Ingen delregion")
                      for o in organisations)
    return forms.most_common(), regions.most_common()


# --- choosing ------------------------------------------------------------------------------------------------

def platforms():
    """The platforms (umbrella bodies) an organiser can invite with their members."""
    return db.session.scalars(sa.select(Organisation).where(
        Organisation.legal_form == PLATFORM_FORM, Organisation.needs_review.is_(False)).order_by(Organisation.name)
    ).all()


def groups():
    """The agreements' standing groups (cooperation groups, steering groups): (id, label)."""
    return group_choices()


def agreements():
    """Agreements whose signatories can be invited: (id, name)."""
    return [(a.id, a.name) for a in db.session.scalars(sa.select(Agreement).order_by(Agreement.title))]


def earlier_meetings(meeting):
    """Meetings before this one whose participating organisations can be invited again (latest first)."""
    return db.session.scalars(
        sa.select(Meeting).where(Meeting.starts_at < meeting.starts_at, Meeting.id != meeting.id,
                                 Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.starts_at.desc()).limit(50)
    ).all()


def chosen_organisations(selection):
    """The registry organisations the selection names (suggested, unreviewed ones never), by name."""
    conditions = []
    if selection.legal_forms or selection.sub_regions:
        narrowed = []
        if selection.legal_forms:
            narrowed.append(Organisation.legal_form.in_(selection.legal_forms))
        if selection.sub_regions:
            narrowed.append(Organisation.sub_region.in_(selection.sub_regions))
        conditions.append(sa.and_(*narrowed))
    if selection.platform_ids:
        # A platform and the organisations of its sub-region: the members it speaks for.
        chosen = db.session.execute(sa.select(Organisation.id, Organisation.sub_region).where(
            Organisation.id.in_(selection.platform_ids), Organisation.legal_form == PLATFORM_FORM)).all()
        conditions.append(Organisation.id.in_([row.id for row in chosen]))
        regions = [row.sub_region for row in chosen if row.sub_region]
        if regions:
            conditions.append(Organisation.sub_region.in_(regions))
    if selection.attended_meeting_ids:
        conditions.append(Organisation.id.in_(
            sa.select(Registration.organisation_id).where(
                Registration.meeting_id.in_(selection.attended_meeting_ids), Registration.attended.is_(True),
                Registration.organisation_id.is_not(None))))
    if selection.group_ids:
        # The organisations of the group's members whose term has not ended.
        conditions.append(Organisation.id.in_(sa.select(GroupMember.organisation_id).where(
            GroupMember.group_id.in_(selection.group_ids), GroupMember.organisation_id.is_not(None),
            sa.or_(GroupMember.term_end.is_(None), GroupMember.term_end >= utc_to_local(utcnow()).date()))))
    if selection.agreement_ids:
        conditions.append(Organisation.id.in_(sa.select(Signatory.organisation_id).where(
            Signatory.agreement_id.in_(selection.agreement_ids), Signatory.withdrawn_on.is_(None))))
    if selection.organisation_ids:
        conditions.append(Organisation.id.in_(selection.organisation_ids))
    if not conditions:
        return []
    return db.session.scalars(sa.select(Organisation).where(sa.or_(*conditions),
                                                            Organisation.needs_review.is_(False))
                              .order_by(Organisation.name)).all()


def preview(meeting, selection):
    """Sort the chosen organisations: those who would be invited now, and those left out with the reason."""
    result = Preview()
    invited = set(db.session.scalars(sa.select(MeetingInvitation.organisation_id)
                                     .where(MeetingInvitation.meeting_id == meeting.id)))
    opted_out = set(db.session.scalars(sa.select(InvitationOptOut.organisation_id)))
    for org in chosen_organisations(selection):
        if org.id in invited:
            result.already_invited.append(org)
        elif org.id in opted_out:
            result.opted_out.append(org)
        elif not (org.contact_email or "").strip():
            result.without_email.append(org)
        else:
            result.to_invite.append(org)
    return result


# --- sending ----------------------------------------------------------------------------------------------------

def check_can_invite(meeting, now=None):
    now = now or utcnow()
    if current_app.config.get("SAMRAD_ENV") == "production" and not current_app.config.get("BASE_URL"):
        raise InvitationError(_("Webbplatsens adress (BASE_URL) är inte inställd, så länkarna i inbjudan skulle "
                                "inte fungera. Be driftansvarig sätta den."))
    if meeting.is_cancelled:
        raise InvitationError(_("Mötet är inställt. Återuppta det innan du bjuder in."))
    if meeting.is_held or meeting.starts_at <= now:
        raise InvitationError(_("Mötet har redan börjat. Det går inte att bjuda in till det längre."))


def link_token(invitation):
    if not invitation.link_nonce:
        invitation.link_nonce = secrets.token_hex(8)
    return signing.sign(LINK_PURPOSE, [invitation.id, invitation.link_nonce])


def invitation_from_token(token):
    """The invitation a personal link names, or None (tampered, replaced or older than the limit)."""
    max_age = current_app.config.get("DIALOG_INVITATION_MAX_AGE_DAYS", 180) * 24 * 3600
    data = signing.unsign(LINK_PURPOSE, token, max_age)
    if not isinstance(data, list) or len(data) != 2 or not isinstance(data[0], int):
        return None
    invitation = db.session.get(MeetingInvitation, data[0])
    if invitation is None or not data[1] or invitation.link_nonce != data[1]:
        return None
    return invitation


def unsubscribe_token(organisation_id):
    return signing.sign(UNSUBSCRIBE_PURPOSE, organisation_id)


def organisation_from_unsubscribe_token(token):
    # An unsubscribe link keeps working for years: it is the organisation's way out, from any old mail.
    data = signing.unsign(UNSUBSCRIBE_PURPOSE, token, 10 * 365 * 24 * 3600)
    return db.session.get(Organisation, data) if isinstance(data, int) else None


def _mail_values(invitation, ics, now=None):
    meeting, organisation = invitation.meeting, invitation.organisation
    body = render_template(
        "dialog/email/invitation.txt", meeting=meeting, organisation=organisation,
        link=external_url("dialog.invitation", token=link_token(invitation)),
        meeting_url=external_url("dialog.meeting", meeting_id=meeting.id),
        unsubscribe=external_url("dialog.unsubscribe", token=unsubscribe_token(organisation.id)),
    )
    return outbox_svc.new_values(
        invitation.email, _("Inbjudan: %(title)s", title=meeting.title), body,
        attachments=[("mote.ics", "text/calendar", ics)],
        key=f"dialog-invitation:{invitation.id}:{invitation.mails_queued}", now=now,
    )


def send_invitations(meeting, selection, user=None, now=None):
    """Invite every organisation of the preview that can be invited: one invitation and one queued mail each,
    stored in one commit with batched inserts. The mail worker sends them; this returns at once.
    Returns the Preview."""
    now = now or utcnow()
    check_can_invite(meeting, now)
    if selection.empty:
        raise InvitationError(_("Välj minst en grupp eller organisation att bjuda in."))
    result = preview(meeting, selection)
    if not result.to_invite:
        return result
    org_ids = [org.id for org in result.to_invite]
    db.session.execute(sa.insert(MeetingInvitation), [
        {"meeting_id": meeting.id, "organisation_id": org.id, "email": org.contact_email.strip().lower(),
         "status": InvitationStatus.SENT, "link_nonce": secrets.token_hex(8), "mails_queued": 1, "created_at": now,
         "created_by_id": getattr(user, "id", None)}
        for org in result.to_invite])
    invitations = db.session.scalars(sa.select(MeetingInvitation).where(
        MeetingInvitation.meeting_id == meeting.id, MeetingInvitation.organisation_id.in_(org_ids))).all()
    ics = meeting_ics(meeting, now=now)  # the same calendar file for everyone: made once
    values = [_mail_values(invitation, ics, now) for invitation in invitations]
    ids = outbox_svc.queue_many(values)
    db.session.execute(sa.update(MeetingInvitation), [
        {"id": invitation.id, "outbox_message_id": ids[v["idempotency_key"]]}
        for invitation, v in zip(invitations, values, strict=True)])
    db.session.commit()
    return result


def resend(invitation, now=None):
    """Queue the invitation again after its mail failed (to the organisation's address as it is now)."""
    check_can_invite(invitation.meeting, now)
    if not invitation.mail_failed:
        raise InvitationError(_("Inbjudan har inte misslyckats och skickas inte igen."))
    if is_opted_out(invitation.organisation_id):
        raise InvitationError(_("Organisationen har avböjt inbjudningar."))
    address = (invitation.organisation.contact_email or "").strip().lower()
    if not address:
        raise InvitationError(_("Organisationen saknar e-postadress. Lägg till den i organisationsregistret."))
    invitation.email = address
    invitation.mails_queued += 1
    values = _mail_values(invitation, meeting_ics(invitation.meeting, now=now), now)
    invitation.outbox_message = outbox_svc.queue_values(values)
    db.session.commit()
    return invitation


# --- what the invited do ----------------------------------------------------------------------------------------

def open_link(invitation, now=None):
    """The organisation opened its link: recorded the first time."""
    if invitation.opened_at is None or invitation.status == InvitationStatus.SENT:
        invitation.mark_opened(now)
        db.session.commit()


def decline(invitation, now=None):
    invitation.decline(now)
    db.session.commit()


def note_registration(registration, now=None):
    """A person of an invited organisation registered (through the link or the public form)."""
    if registration.organisation_id is None:
        return None
    invitation = db.session.scalar(sa.select(MeetingInvitation).where(
        MeetingInvitation.meeting_id == registration.meeting_id,
        MeetingInvitation.organisation_id == registration.organisation_id))
    if invitation is not None and invitation.status != InvitationStatus.REGISTERED:
        invitation.mark_registered(now)
    return invitation


def is_opted_out(organisation_id):
    return db.session.get(InvitationOptOut, organisation_id) is not None


def unsubscribe(organisation, now=None):
    """No more meeting invitations to this organisation (invitations already sent stay as they are)."""
    if not is_opted_out(organisation.id):
        db.session.add(InvitationOptOut(organisation_id=organisation.id, created_at=now or utcnow()))
        db.session.commit()


def resubscribe(organisation):
    row = db.session.get(InvitationOptOut, organisation.id)
    if row is not None:
        db.session.delete(row)
        db.session.commit()


# --- the organiser's overview -------------------------------------------------------------------------------

def invitations_of(meeting):
    return db.session.scalars(
        sa.select(MeetingInvitation).join(Organisation, MeetingInvitation.organisation_id == Organisation.id)
        .outerjoin(OutboxMessage, MeetingInvitation.outbox_message_id == OutboxMessage.id)
        .where(MeetingInvitation.meeting_id == meeting.id)
        .options(contains_eager(MeetingInvitation.organisation),
                 contains_eager(MeetingInvitation.outbox_message))
        .order_by(Organisation.name)
    ).all()


def status_counts(invitations):
    counts = Counter(i.status for i in invitations)
    return [(InvitationStatus.LABELS[s], counts.get(s, 0)) for s in InvitationStatus.ORDER]


def reach_by_status(invitations):
    """{"legal_form"|"sub_region": {label: {status: count}}}: the reach after sending, per group and status."""
    out = {"legal_form": {}, "sub_region": {}}
    for invitation in invitations:
        org = invitation.organisation
        form = str(LEGAL_FORMS.get(org.legal_form, org.legal_form))
        region = str(SUB_REGIONS.get(org.sub_region, org.sub_region)) if org.sub_region else _("Ingen delregion")
        for kind, label in (("legal_form", form), ("sub_region", region)):
            row = out[kind].setdefault(label, Counter())
            row[invitation.status] += 1
    return out


def merge_organisations(keep, drop):
    """Invitations of a duplicate organisation move to the kept one unless it was invited to the same meeting."""
    kept = set(db.session.scalars(sa.select(MeetingInvitation.meeting_id)
                                  .where(MeetingInvitation.organisation_id == keep.id)))
    for invitation in db.session.scalars(sa.select(MeetingInvitation)
                                         .where(MeetingInvitation.organisation_id == drop.id)).all():
        if invitation.meeting_id in kept:
            db.session.delete(invitation)
        else:
            invitation.organisation_id = keep.id
    if is_opted_out(drop.id) and not is_opted_out(keep.id):
        db.session.add(InvitationOptOut(organisation_id=keep.id))
    db.session.flush()
