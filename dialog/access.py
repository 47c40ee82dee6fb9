"""One lookup helper per dialog resource: each checks who asks, so no view forgets it."""
from flask import abort

from core.access import get_child_or_404
from core.extensions import db
from core.models import Role
from dialog import invitations, minutes, registration
from dialog.models import (
    AgendaItem,
    FollowUpTask,
    Meeting,
    MeetingDocument,
    MeetingInvitation,
    MeetingSeries,
    MinutesItem,
    MinutesSigner,
    Registration,
)

ORGANISER_ROLES = (Role.ADMIN, Role.MODERATOR)


def can_organise(user):
    """Organisers (moderators) and administrators plan and edit meetings."""
    return bool(user and user.is_authenticated and user.has_role(Role.MODERATOR))


def _check_organiser(for_user):
    if not can_organise(for_user):
        abort(403)


def get_meeting_or_404(meeting_id, for_user=None, edit=False):
    """The meeting (public pages show every meeting); edit=True: 403 for someone who may not organise."""
    meeting = db.get_or_404(Meeting, meeting_id)
    if edit:
        _check_organiser(for_user)
    return meeting


def get_series_or_404(series_id, for_user=None, edit=False):
    series = db.get_or_404(MeetingSeries, series_id)
    if edit:
        _check_organiser(for_user)
    return series


def _part_or_404(model, part_id, for_user):
    """A row belonging to a meeting, for organisers only (403 before the row is even looked up)."""
    _check_organiser(for_user)
    return db.get_or_404(model, part_id)


def get_agenda_item_or_404(item_id, for_user):
    return _part_or_404(AgendaItem, item_id, for_user)


def get_registration_or_404(registration_id, for_user):
    return _part_or_404(Registration, registration_id, for_user)


def get_minutes_item_or_404(item_id, for_user):
    return _part_or_404(MinutesItem, item_id, for_user)


def get_task_or_404(task_id, for_user):
    return _part_or_404(FollowUpTask, task_id, for_user)


def get_signer_or_404(signer_id, for_user):
    return _part_or_404(MinutesSigner, signer_id, for_user)


def get_managed_document_or_404(document_id, for_user):
    return _part_or_404(MeetingDocument, document_id, for_user)


def get_document_or_404(meeting_id, document_id, for_user):
    """A meeting's document for download: public ones for everyone, the others for organisers only."""
    document = get_child_or_404(MeetingDocument, document_id, get_meeting_or_404(meeting_id), "meeting_id")
    if not document.public and not can_organise(for_user):
        abort(404)
    return document


def get_registration_by_link_or_404(token):
    """The registration a personal link names: the signed link is the only key."""
    row = registration.registration_from_token(token)
    if row is None:
        abort(404)
    return row


def get_signer_by_link_or_404(token):
    """The signer a personal approval link names: the signed link is the only key."""
    signer = minutes.signer_from_token(token)
    if signer is None:
        abort(404)
    return signer


def get_invitation_or_404(invitation_id, for_user):
    return _part_or_404(MeetingInvitation, invitation_id, for_user)


def get_invitation_by_link_or_404(token):
    """The invitation a personal link names: the signed link is the only key."""
    row = invitations.invitation_from_token(token)
    if row is None:
        abort(404)
    return row


def get_organisation_by_unsubscribe_link_or_404(token):
    organisation = invitations.organisation_from_unsubscribe_token(token)
    if organisation is None:
        abort(404)
    return organisation
