"""Writing and submitting a remissvar: autosaved drafts with a version check, ready marks, receipts."""
import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import gettext as _

from core.extensions import db
from core.mail import send_mail
from core.models import utcnow
from core.timeutil import utc_to_local
from surveys.remiss import access, managing
from surveys.remiss.models import (
    POSITIONS,
    AnswerSubmission,
    BodyStatus,
    InvitedBody,
    Remiss,
    RemissAnswer,
    RemissError,
    RemissStatus,
    SectionAnswer,
)

TEXT_LIMIT = 200_000
SHORT_FIELDS = {"decided_by": 300, "signatory": 300}
SECTION_FIELDS = ("position", "comment", "proposed_wording")
# The editor's own fields; a section's are named s-<section id>-<field> (see editor_fields).
ANSWER_FIELDS = ("position", "general_comment", "decided_by", "signatory")
ANSWER_FLAGS = ("contains_personal_data", "require_ready")


def section_field_name(section_id, field):
    return f"s-{section_id}-{field}"


def editor_fields(remiss):
    """Every field the answer editor saves: name → None for the answer's own, [section id, field] for a section's.
    The editor script gets this, so the names are written in one place."""
    names = {name: None for name in ANSWER_FIELDS + ANSWER_FLAGS}
    for section in remiss.sections:
        for field in SECTION_FIELDS:
            names[section_field_name(section.id, field)] = [str(section.id), field]
    return names


class VersionConflict(RemissError):
    """Someone else saved the answer since this editor loaded it; carries what is saved now."""

    code = "conflict"
    status = 409

    def __init__(self, answer):
        super().__init__(_("Någon annan har sparat svaret medan du skrev. Jämför texterna; inget har skrivits "
                           "över."))
        self.answer = answer


def body_for(remiss, organisation_id):
    return db.session.scalar(sa.select(InvitedBody).where(
        InvitedBody.remiss_id == remiss.id, InvitedBody.organisation_id == organisation_id))


def deadline_for(remiss, organisation_id):
    body = body_for(remiss, organisation_id)
    return body.extension_until if body and body.extension_until else remiss.deadline


def accepting(remiss, organisation_id, now=None):
    body = body_for(remiss, organisation_id)
    return remiss.accepting(now, body.extension_until if body else None)


def _check_accepting(remiss, organisation_id):
    if not accepting(remiss, organisation_id):
        raise RemissError(_("Remissen tar inte emot svar just nu: svarsdatum har passerat eller remissen är "
                            "stängd. Kontakta skrivargruppen om ni behöver mer tid."))


def _ensure_body(remiss, organisation_id):
    """An organisation answering without an invitation gets a body marked as not invited."""
    body = body_for(remiss, organisation_id)
    if body is None:
        body = InvitedBody(remiss_id=remiss.id, organisation_id=organisation_id, invited=False,
                           status=BodyStatus.OPENED, opened_at=utcnow())
        db.session.add(body)
    return body


def my_organisations(remiss, user):
    """The user's organisations that may answer the remiss, each with its answer, invitation and deadline."""
    answerable = access.answerable_org_ids(remiss, user)
    out = []
    for org in user.organisations:
        if org.id in answerable:
            answer = db.session.scalar(sa.select(RemissAnswer).where(
                RemissAnswer.remiss_id == remiss.id, RemissAnswer.organisation_id == org.id))
            out.append({"org": org, "answer": answer, "body": body_for(remiss, org.id),
                        "accepting": accepting(remiss, org.id), "deadline": deadline_for(remiss, org.id)})
    return out


def open_remisses_for(user):
    """For the home page: open remisses the user's organisations may answer now."""
    if not user.is_authenticated or not user.organisation_ids:
        return []
    out = []
    for remiss in db.session.scalars(sa.select(Remiss).where(Remiss.status == RemissStatus.OPEN)
                                     .order_by(Remiss.deadline)):
        orgs = access.answerable_org_ids(remiss, user)
        for org in user.organisations:
            if org.id in orgs and accepting(remiss, org.id):
                out.append({"remiss": remiss, "organisation": org, "deadline": deadline_for(remiss, org.id)})
    return out


def add_attachment(remiss, organisation_id, answer, file_storage, user):
    """A PDF attached to the answer, while the remiss takes answers from the organisation."""
    if not accepting(remiss, organisation_id):
        raise RemissError(_("Remissen tar inte emot svar just nu."))
    return managing.add_attachment(remiss, file_storage, user, answer=answer)


def get_or_start_answer(remiss, organisation_id, user):
    answer = db.session.scalar(sa.select(RemissAnswer).where(
        RemissAnswer.remiss_id == remiss.id, RemissAnswer.organisation_id == organisation_id))
    if answer is not None:
        return answer
    body = _ensure_body(remiss, organisation_id)
    if body.opened_at is None:
        body.opened_at = utcnow()
    body.advance(BodyStatus.OPENED)
    answer = RemissAnswer(remiss_id=remiss.id, organisation_id=organisation_id, updated_by_id=user.id)
    db.session.add(answer)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Two members opened the page at the same moment: the other one created it.
        db.session.rollback()
        answer = db.session.scalar(sa.select(RemissAnswer).where(
            RemissAnswer.remiss_id == remiss.id, RemissAnswer.organisation_id == organisation_id))
    return answer


def section_answers_by_section(answer):
    return {sa_.section_id: sa_ for sa_ in answer.section_answers}


def draft_data(answer):
    """The draft as the editor and the conflict view see it."""
    return {
        "version": answer.version,
        "position": answer.position or "",
        "general_comment": answer.general_comment,
        "decided_by": answer.decided_by,
        "signatory": answer.signatory,
        "contains_personal_data": answer.contains_personal_data,
        "require_ready": answer.require_ready,
        "sections": {
            str(s.section_id): {"position": s.position or "", "comment": s.comment,
                                "proposed_wording": s.proposed_wording}
            for s in answer.section_answers
        },
    }


def _clean_position(value):
    value = (value or "").strip()
    if value and value not in POSITIONS:
        raise RemissError(_("Okänt ställningstagande."))
    return value or None


def _clean_text(value, limit=TEXT_LIMIT):
    value = "" if value is None else str(value)
    if len(value) > limit:
        raise RemissError(_("Texten är för lång (högst %(n)s tecken).", n=limit))
    return value


def save_draft(answer, user, base_version, data):
    """Save the fields present in data if nobody saved since base_version; raises VersionConflict."""
    remiss = answer.remiss
    _check_accepting(remiss, answer.organisation_id)
    try:
        base_version = int(base_version)
    except (TypeError, ValueError) as exc:
        raise RemissError(_("Versionsnumret saknas. Ladda om sidan.")) from exc
    updates = {}
    if "position" in data:
        updates["position"] = _clean_position(data["position"])
    if "general_comment" in data:
        updates["general_comment"] = _clean_text(data["general_comment"])
    for key, limit in SHORT_FIELDS.items():
        if key in data:
            updates[key] = _clean_text(data[key], limit).strip() if data[key] is not None else ""
    for key in ("contains_personal_data", "require_ready"):
        if key in data:
            updates[key] = bool(data[key])
    section_ids = {s.id for s in remiss.sections}
    section_updates = {}
    for key, values in (data.get("sections") or {}).items():
        try:
            section_id = int(key)
        except (TypeError, ValueError) as exc:
            raise RemissError(_("Okänt avsnitt.")) from exc
        if section_id not in section_ids or not isinstance(values, dict):
            raise RemissError(_("Okänt avsnitt."))
        clean = {}
        for field in SECTION_FIELDS:
            if field in values:
                clean[field] = (_clean_position(values[field]) if field == "position"
                                else _clean_text(values[field]))
        section_updates[section_id] = clean

    # The version moves only if it is still the one the editor started from: no silent overwrite,
    # even when two saves arrive at the same moment.
    result = db.session.execute(
        sa.update(RemissAnswer)
        .where(RemissAnswer.id == answer.id, RemissAnswer.version == base_version)
        .values(version=base_version + 1, updated_at=utcnow(), updated_by_id=user.id, **updates)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(answer)
        raise VersionConflict(answer)
    existing = {s.section_id: s for s in answer.section_answers}
    for section_id, clean in section_updates.items():
        row = existing.get(section_id)
        if row is None:
            row = SectionAnswer(answer_id=answer.id, section_id=section_id)
            db.session.add(row)
        for field, value in clean.items():
            setattr(row, field, value)
    body = _ensure_body(remiss, answer.organisation_id)
    body.advance(BodyStatus.DRAFT_SAVED)
    # A change to the text after someone marked it ready needs a new ready mark.
    content_changed = section_updates or any(k not in ("contains_personal_data", "require_ready") for k in updates)
    db.session.commit()
    db.session.refresh(answer)
    if content_changed and answer.ready:
        answer.ready = False
        answer.ready_by_id = None
        db.session.commit()
    return answer


def mark_ready(answer, user, ready=True):
    _check_accepting(answer.remiss, answer.organisation_id)
    answer.ready = ready
    answer.ready_by_id = user.id if ready else None
    db.session.commit()


def can_submit(answer, user):
    membership = user.membership_for(answer.organisation_id)
    return membership is not None and membership.can_sign


def snapshot(answer):
    sections = {s.section_id: s for s in answer.section_answers}
    return {
        "organisation": answer.organisation.name,
        "position": answer.position,
        "general_comment": answer.general_comment,
        "decided_by": answer.decided_by,
        "signatory": answer.signatory,
        "contains_personal_data": answer.contains_personal_data,
        "sections": [
            {"section_id": sec.id, "number": sec.number, "heading": sec.heading,
             "position": sections[sec.id].position if sec.id in sections else None,
             "comment": sections[sec.id].comment if sec.id in sections else "",
             "proposed_wording": sections[sec.id].proposed_wording if sec.id in sections else ""}
            for sec in answer.remiss.sections
        ],
    }


def submit(answer, user, base_version=None):
    """Submit the draft as the answer; a new version each time. Returns the AnswerSubmission."""
    remiss = answer.remiss
    _check_accepting(remiss, answer.organisation_id)
    if base_version is not None and int(base_version) != answer.version:
        raise VersionConflict(answer)
    if not can_submit(answer, user):
        raise RemissError(_("Bara den som har rätt att skriva under för organisationen kan skicka in svaret."))
    if answer.require_ready and not answer.ready:
        raise RemissError(_("Svaret måste markeras som klart innan det skickas in."))
    if not answer.position:
        raise RemissError(_("Välj organisationens övergripande ställningstagande innan ni skickar in."))
    now = utcnow()
    answer.final_position = answer.position
    answer.final_general_comment = answer.general_comment
    answer.final_decided_by = answer.decided_by
    answer.final_signatory = answer.signatory
    for row in answer.section_answers:
        row.final_position = row.position
        row.final_comment = row.comment
        row.final_wording = row.proposed_wording
        row.has_final = bool(row.position or row.comment.strip() or row.proposed_wording.strip())
    answer.submitted_version = answer.version
    answer.first_submitted_at = answer.first_submitted_at or now
    answer.submitted_at = now
    answer.submitted_by_id = user.id
    # A flagged answer is checked again after every revision.
    answer.personal_data_reviewed = False
    number = len(answer.submissions) + 1
    submission = AnswerSubmission(answer=answer, number=number, snapshot=snapshot(answer), submitted_at=now,
                                  submitted_by_id=user.id)
    db.session.add(submission)
    body = _ensure_body(remiss, answer.organisation_id)
    body.advance(BodyStatus.ANSWERED)
    db.session.commit()
    send_receipt(submission, user)
    return submission


def send_receipt(submission, user):
    answer = submission.answer
    link = url_for("remiss.receipt", remiss_id=answer.remiss_id, organisation_id=answer.organisation_id,
                   number=submission.number, _external=True)
    text = render_template("surveys/remiss/email/receipt.txt", submission=submission, answer=answer,
                           remiss=answer.remiss, link=link, submitted_at=utc_to_local(submission.submitted_at))
    send_mail(user.email, _("Kvitto: remissvar på %(title)s", title=answer.remiss.title), text)


def decline(remiss, organisation_id, user):
    """The organisation will not answer (avböjer); a later answer still counts."""
    membership = user.membership_for(organisation_id)
    if membership is None:
        raise RemissError(_("Du hör inte till organisationen."))
    body = _ensure_body(remiss, organisation_id)
    if body.status == BodyStatus.ANSWERED:
        raise RemissError(_("Organisationen har redan svarat."))
    body.status = BodyStatus.DECLINED
    db.session.commit()
