"""One lookup helper per remiss resource: each checks who asks, so no view forgets it."""
import sqlalchemy as sa
from flask import abort

from core.access import get_child_or_404
from core.extensions import db
from core.models import Role
from surveys.remiss import registering
from surveys.remiss.models import (
    AnswerSubmission,
    DraftVersion,
    DraftVersionSection,
    InvitedBody,
    KeyQuote,
    Remiss,
    RemissAnswer,
    RemissAttachment,
    RemissSection,
    RemissStatus,
    SectionAnswer,
    ThemeMark,
)


def _authenticated(user):
    return user is not None and getattr(user, "is_authenticated", False)


def can_create(user):
    return _authenticated(user) and user.has_role(Role.SKRIVARGRUPP)


def invited_org_ids(remiss):
    return set(db.session.scalars(
        sa.select(InvitedBody.organisation_id).where(
            InvitedBody.remiss_id == remiss.id, InvitedBody.organisation_id.is_not(None), InvitedBody.invited)
    ))


def answerable_org_ids(remiss, user):
    """The user's organisations that may answer this remiss (invited, or any if uninvited answers are allowed)."""
    if not _authenticated(user) or remiss.status == RemissStatus.DRAFT:
        return set()
    mine = user.organisation_ids
    if remiss.allow_uninvited:
        return mine
    return mine & invited_org_ids(remiss)


def can_view_remiss(remiss, user):
    if remiss.is_drafter(user):
        return True
    if remiss.status == RemissStatus.DRAFT:
        return False
    return remiss.is_published() or bool(answerable_org_ids(remiss, user))


def get_remiss_or_404(remiss_id, for_user, drafter=False):
    """The remiss if the user may see it (drafter=True: only its drafting group and administrators)."""
    remiss = db.get_or_404(Remiss, remiss_id)
    if drafter:
        if not remiss.is_drafter(for_user):
            abort(404 if not _authenticated(for_user) or remiss.status == RemissStatus.DRAFT else 403)
        return remiss
    if not can_view_remiss(remiss, for_user):
        abort(404)
    return remiss


def public_page_instead(remiss_id, for_user):
    """The remiss, when a visitor who is not logged in asks for it and its answers are published: they get the
    public page instead of the login page. None otherwise (the usual rules apply)."""
    if _authenticated(for_user):
        return None
    remiss = db.session.get(Remiss, remiss_id)
    return remiss if remiss is not None and remiss.is_published() else None


def get_public_remiss_or_404(remiss_id):
    remiss = db.session.get(Remiss, remiss_id)
    if remiss is None or not remiss.is_published():
        abort(404)
    return remiss


def check_answering_org(remiss, organisation_id, for_user):
    """The respondent must belong to the organisation, and it must be allowed to answer."""
    if not _authenticated(for_user) or organisation_id not in for_user.organisation_ids:
        abort(404)
    if organisation_id not in answerable_org_ids(remiss, for_user):
        abort(403)


def get_own_answer_or_404(remiss_id, organisation_id, for_user):
    """(remiss, answer or None) for a member of the organisation; others get 404."""
    remiss = db.session.get(Remiss, remiss_id)
    if remiss is None or remiss.status == RemissStatus.DRAFT:
        abort(404)
    check_answering_org(remiss, organisation_id, for_user)
    answer = db.session.scalar(sa.select(RemissAnswer).where(
        RemissAnswer.remiss_id == remiss.id, RemissAnswer.organisation_id == organisation_id))
    return remiss, answer


def get_answer_for_review_or_404(remiss, answer_id, for_user):
    """A submitted answer, for the remiss's drafting group; also its own organisation's members."""
    answer = get_child_or_404(RemissAnswer, answer_id, remiss, "remiss_id")
    if remiss.is_drafter(for_user):
        return answer
    if _authenticated(for_user) and answer.organisation_id in for_user.organisation_ids:
        return answer
    abort(404)


def get_section_answer_for_drafter_or_404(remiss, section_answer_id, for_user):
    if not remiss.is_drafter(for_user):
        abort(404)
    return get_child_or_404(SectionAnswer, section_answer_id, remiss, lambda row: row.answer.remiss_id)


def get_attachment_or_404(remiss_id, attachment_id, for_user):
    """A remiss PDF for whoever sees the remiss; an answer's PDF for its organisation, the drafting group,
    or the public once the answer is published."""
    remiss = db.get_or_404(Remiss, remiss_id)
    att = get_child_or_404(RemissAttachment, attachment_id, remiss, "remiss_id")
    if att.answer_id is None:
        if not (can_view_remiss(remiss, for_user) or registering.is_publicly_open(remiss)):
            abort(404)
        return att
    answer = db.session.get(RemissAnswer, att.answer_id)
    if remiss.is_drafter(for_user):
        return att
    if _authenticated(for_user) and answer.organisation_id in for_user.organisation_ids:
        return att
    if remiss.is_published() and answer.is_public and att.id in answer.submitted_attachment_ids:
        return att
    abort(404)


def get_section_or_404(remiss, section_id):
    """A section of the remiss, by id (the remiss was looked up for the user already)."""
    return get_child_or_404(RemissSection, section_id, remiss, "remiss_id")


def get_section_by_number_or_404(remiss, number):
    section = db.session.scalar(sa.select(RemissSection).where(RemissSection.remiss_id == remiss.id,
                                                               RemissSection.number == number))
    if section is None:
        abort(404)
    return section


def get_body_or_404(remiss, body_id):
    """An invited body of the remiss (the remiss was looked up for the user already)."""
    return get_child_or_404(InvitedBody, body_id, remiss, "remiss_id")


def get_quote_or_404(remiss, quote_id):
    """A key quote marked in one of the remiss's answers (the remiss was looked up for the drafting group)."""
    return get_child_or_404(KeyQuote, quote_id, remiss, lambda quote: quote.section_answer.answer.remiss_id)


def get_submission_or_404(answer, number):
    """A submitted version of the answer, by its number (the answer was looked up for the user already)."""
    submission = None
    if answer is not None:
        submission = db.session.scalar(sa.select(AnswerSubmission).where(
            AnswerSubmission.answer_id == answer.id, AnswerSubmission.number == number))
    if submission is None:
        abort(404)
    return submission


def get_version_or_404(remiss, number):
    """A revised version of the draft, by number (the remiss was looked up for the drafting group already)."""
    version = db.session.scalar(sa.select(DraftVersion).where(DraftVersion.remiss_id == remiss.id,
                                                              DraftVersion.number == number))
    if version is None:
        abort(404)
    return version


def get_version_section_or_404(version, version_section_id):
    return get_child_or_404(DraftVersionSection, version_section_id, version, "version_id")


def get_open_remiss_or_404(remiss_id):
    """A remiss taking answers now: its draft and deadline are public (open participation)."""
    remiss = db.session.get(Remiss, remiss_id)
    if remiss is None or not registering.is_publicly_open(remiss):
        abort(404)
    return remiss


def open_page_instead(remiss_id, for_user):
    """The remiss, when someone who may not answer it asks for it while it is open: they get its public page."""
    remiss = db.session.get(Remiss, remiss_id)
    if remiss is None or not registering.is_publicly_open(remiss) or can_view_remiss(remiss, for_user):
        return None
    return remiss


def get_theme_mark_or_404(remiss, mark_id):
    """A theme on a general comment or quote of one of the remiss's answers (the remiss was looked up for the
    drafting group)."""
    return get_child_or_404(ThemeMark, mark_id, remiss,
                            lambda mark: db.session.get(RemissAnswer, mark.answer_id).remiss_id)


def get_compiled_remiss_or_404(remiss_id):
    """For the public "vi frågade – ni svarade – vi gjorde" page: only a compiled remiss whose answers are
    published; anything else (a draft above all) does not exist for the public."""
    remiss = db.session.get(Remiss, remiss_id)
    if remiss is None or not remiss.is_compiled or not remiss.is_published():
        abort(404)
    return remiss
