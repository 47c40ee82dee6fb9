"""The drafting group's writes: the remiss, its sections and attachments, invitations, reminders, status."""
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _

from core.audit import record
from core.extensions import db
from core.mail import external_url, send_mail
from core.models import Organisation, Role, User, UserRole, hash_token, utcnow
from core.organisations.services import OrganisationError, normalise_email
from core.timeutil import utc_to_local
from surveys.remiss import access, claiming, importing, uploads
from surveys.remiss.models import (
    BodyStatus,
    InvitedBody,
    Remiss,
    RemissAnswer,
    RemissAttachment,
    RemissError,
    RemissSection,
    RemissStatus,
)

FIELDS = ("title", "diarienummer", "description", "opens_at", "deadline", "allow_uninvited",
          "publish_at_deadline", "reminder_days_before")


def _check_dates(opens_at, deadline):
    if opens_at is None or deadline is None:
        raise RemissError(_("Fyll i både öppningsdatum och svarsdatum."))
    if deadline <= opens_at:
        raise RemissError(_("Svarsdatum måste vara efter öppningsdatum."))


def create_remiss(user, drafters=(), **fields):
    """A new remiss in draft; its creator is in the drafting group. Dates are naive UTC."""
    _check_dates(fields.get("opens_at"), fields.get("deadline"))
    if not (fields.get("title") or "").strip():
        raise RemissError(_("Skriv en titel."))
    remiss = Remiss(created_by_id=user.id, **{k: v for k, v in fields.items() if k in FIELDS})
    remiss.drafters = _unique_users([user, *drafters])
    db.session.add(remiss)
    db.session.commit()
    return remiss


def _unique_users(users):
    seen, out = set(), []
    for u in users:
        if u.id not in seen:
            seen.add(u.id)
            out.append(u)
    return out


def update_remiss(remiss, drafters=None, **fields):
    _check_dates(fields.get("opens_at", remiss.opens_at), fields.get("deadline", remiss.deadline))
    for key, value in fields.items():
        if key in FIELDS:
            setattr(remiss, key, value)
    if drafters is not None:
        remiss.drafters = _unique_users(drafters)
    db.session.commit()
    return remiss


def remisses_for(user):
    """The list page for a logged-in user: (remisses they draft, [(remiss, their organisations that may answer)])."""
    remisses = db.session.scalars(sa.select(Remiss).order_by(Remiss.deadline.desc())).all()
    drafting = [r for r in remisses if r.is_drafter(user)]
    to_answer = []
    for remiss in remisses:
        if remiss in drafting or remiss.status == RemissStatus.DRAFT:
            continue
        orgs = access.answerable_org_ids(remiss, user)
        if orgs:
            to_answer.append((remiss, [o for o in user.organisations if o.id in orgs]))
    return drafting, to_answer


def users_by_id(ids):
    """The users chosen in a form (e.g. the drafting group), by id."""
    return db.session.scalars(sa.select(User).where(User.id.in_(ids))).all() if ids else []


def organisations_by_id(ids):
    """The organisations chosen in the invitation form, by id."""
    return db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids))).all() if ids else []


def drafter_candidates():
    return db.session.scalars(
        sa.select(User).join(UserRole).where(UserRole.role.in_([Role.SKRIVARGRUPP, Role.ADMIN]), User.active)
        .order_by(User.name).distinct()
    ).all()


# --- sections ---------------------------------------------------------------

def _check_editable(remiss):
    if not remiss.sections_editable:
        raise RemissError(_("Remissen är stängd; avsnitten kan inte längre ändras."))


def add_section(remiss, heading, text=""):
    _check_editable(remiss)
    heading = (heading or "").strip()
    if not heading:
        raise RemissError(_("Avsnittet måste ha en rubrik."))
    number = max((s.number for s in remiss.sections), default=0) + 1
    section = RemissSection(number=number, heading=heading, text=text or "")
    remiss.sections.append(section)
    db.session.commit()
    return section


def update_section(section, heading, text):
    _check_editable(section.remiss)
    heading = (heading or "").strip()
    if not heading:
        raise RemissError(_("Avsnittet måste ha en rubrik."))
    section.heading = heading
    section.text = text or ""
    db.session.commit()


def delete_section(section):
    remiss = section.remiss
    if remiss.status != RemissStatus.DRAFT:
        raise RemissError(_("Avsnitt kan bara tas bort medan remissen är ett utkast."))
    remiss.sections.remove(section)
    db.session.flush()
    # Renumber in two steps so the unique (remiss, number) never clashes midway.
    for i, s in enumerate(remiss.sections, start=1):
        s.number = -i
    db.session.flush()
    for s in remiss.sections:
        s.number = -s.number
    db.session.commit()


def import_sections(remiss, filename, data, replace=True):
    """Parse the file and replace (or append to) the sections in one transaction: all or nothing."""
    if remiss.status != RemissStatus.DRAFT:
        raise RemissError(_("Ett underlag kan bara importeras medan remissen är ett utkast."))
    parsed = importing.parse_file(filename, data)
    try:
        if replace:
            remiss.sections.clear()
            db.session.flush()
        start = max((s.number for s in remiss.sections), default=0)
        for i, (heading, text) in enumerate(parsed, start=start + 1):
            remiss.sections.append(RemissSection(number=i, heading=heading[:300], text=text))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(parsed)


def import_upload(remiss, upload, replace=True):
    """import_sections() from an uploaded file; a missing file is refused like a bad one."""
    if upload is None or not upload.filename:
        raise RemissError(_("Välj en fil att importera."))
    return import_sections(remiss, upload.filename, upload.read(), replace=replace)


# --- attachments ------------------------------------------------------------

def add_attachment(remiss, file_storage, user, answer=None):
    data, extension = uploads.read_document(file_storage)
    stored = uploads.store(data, extension)
    att = RemissAttachment(remiss_id=remiss.id, answer_id=answer.id if answer else None,
                           filename=uploads.clean_filename(file_storage.filename, extension), stored_name=stored,
                           size=len(data), uploaded_by_id=user.id)
    db.session.add(att)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.remove(stored)
        raise
    return att


def delete_attachment(att):
    stored = att.stored_name
    db.session.delete(att)
    db.session.commit()
    uploads.remove(stored)


# --- status -----------------------------------------------------------------

def change_status(remiss, action):
    """Apply a status change; returns how many invitations were mailed (only when opening)."""
    actions = {"open": remiss.open, "close": remiss.close, "compile": remiss.compile, "reopen": remiss.reopen}
    if action not in actions:
        raise RemissError(_("Okänd åtgärd."))
    actions[action]()
    db.session.commit()
    # Opening sends the personal links to everyone invited while it was a draft.
    return send_invitations(remiss) if action == "open" else 0


def publish(remiss):
    if remiss.status == RemissStatus.DRAFT:
        raise RemissError(_("Ett utkast kan inte publiceras."))
    remiss.published_at = remiss.published_at or utcnow()
    record("remiss.published", target=remiss)
    db.session.commit()


def unpublish(remiss):
    remiss.published_at = None
    remiss.publish_at_deadline = False
    record("remiss.unpublished", target=remiss)
    db.session.commit()


# --- invited bodies ---------------------------------------------------------

CANDIDATE_LIMIT = 300


def invited_organisation_ids(remiss):
    """The ids of the registry's organisations already invited to the remiss (one column, not the bodies)."""
    return set(db.session.scalars(sa.select(InvitedBody.organisation_id).where(
        InvitedBody.remiss_id == remiss.id, InvitedBody.invited.is_(True), InvitedBody.organisation_id.is_not(None))))


def filter_organisations(legal_form=None, sub_region=None, query=None, limit=CANDIDATE_LIMIT):
    """Organisations to choose remissinstanser from (at most `limit`: the registry can be large), as rows of
    (id, name): the bodies page asks on every view, and 500 ORM objects were a third of it."""
    stmt = (sa.select(Organisation.id, Organisation.name).where(Organisation.needs_review.is_(False))
            .order_by(Organisation.name).limit(limit))
    if legal_form:
        stmt = stmt.where(Organisation.legal_form == legal_form)
    if sub_region:
        stmt = stmt.where(Organisation.sub_region == sub_region)
    if query:
        stmt = stmt.where(sa.func.lower(Organisation.name).contains(query.lower(), autoescape=True))
    return db.session.execute(stmt).all()


def _new_token(body):
    raw = secrets.token_urlsafe(24)
    body.token_hash = hash_token(raw)
    return raw


def _external(endpoint, **values):
    return external_url(endpoint, **values)


def mail_address(body):
    """Where the body's invitation goes: its own address, else its organisation's in the registry; None if neither."""
    return claiming.invited_address(body)


def _invite_mail(body, reminder=False, again=False):
    """Mail the body a fresh personal link: the invitation, or a reminder. The earlier link stops working.

    Without an address nothing changes (a link the drafting group passed on by hand keeps working): False.
    """
    remiss = body.remiss
    to = mail_address(body)
    if not to:
        return False
    raw = _new_token(body)
    db.session.commit()
    subject = (_("Påminnelse: remiss %(title)s", title=remiss.title) if reminder
               else _("Remiss: %(title)s", title=remiss.title))
    visitor = link_offers(body)
    body_text = render_template(
        "surveys/remiss/email/invitation.txt", remiss=remiss, body=body, reminder=reminder, again=reminder or again,
        link=_external("remiss.invitation", token=raw), state=visitor.state, account_exists=visitor.account_exists,
        address=visitor.address, deadline=utc_to_local(body.extension_until or remiss.deadline))
    send_mail(to, subject, body_text)
    return True


def _clean_email(email):
    """A typed address checked by the registry's one rule (core normalise_email), in lower case as bodies are
    compared; None when empty. The remiss forms keep their own wording of the refusal."""
    try:
        address = normalise_email(email)
    except OrganisationError:
        raise RemissError(_("”%(email)s” är ingen giltig e-postadress.", email=(email or "").strip())) from None
    return address.lower() if address else None


@dataclass
class Invited:
    """What invite() did: the new bodies, those mailed now, and those no mail can reach (no address anywhere)."""

    added: list = field(default_factory=list)
    mailed: list = field(default_factory=list)
    without_address: list = field(default_factory=list)


def invite(remiss, organisations=(), emails=()):
    """Invite organisations and email addresses. While the remiss is open each new body with an address gets a
    mail with its personal link at once; in a draft the links go out on opening."""
    # Check every address first: a typo in one must not leave the others half-saved.
    emails = [_clean_email(email) for email in emails]
    existing = {b.organisation_id: b for b in remiss.bodies if b.organisation_id}
    existing_emails = {b.email.lower() for b in remiss.bodies if b.email and not b.organisation_id}
    created = []
    for org in organisations:
        body = existing.get(org.id)
        if body is not None:
            if not body.invited:  # answered on its own; now formally invited
                body.invited = True
            continue
        body = InvitedBody(remiss=remiss, organisation=org, email=org.contact_email)
        db.session.add(body)
        created.append(body)
    for email in emails:
        if not email or email in existing_emails:
            continue
        with db.session.no_autoflush:
            org = db.session.scalar(
                sa.select(Organisation).where(sa.func.lower(Organisation.contact_email) == email))
        if org is not None and org.id in existing:
            continue
        body = InvitedBody(remiss=remiss, organisation=org, email=email)
        db.session.add(body)
        existing_emails.add(email)
        if org is not None:
            existing[org.id] = body
        created.append(body)
    db.session.commit()
    result = Invited(added=created, without_address=[b for b in created if not mail_address(b)])
    if remiss.status == RemissStatus.OPEN:
        result.mailed = [b for b in created if _invite_mail(b)]
    return result


def send_invitations(remiss):
    """On opening: mail every body that has not had its link yet (a new token each, the old one stops)."""
    sent = 0
    for body in remiss.bodies:
        if body.invited and body.status == BodyStatus.INVITED:
            sent += _invite_mail(body)
    return sent


def unreachable_bodies(remiss):
    """Invited bodies that have not opened their invitation and that no mail can reach."""
    return [b for b in remiss.bodies
            if b.invited and b.status == BodyStatus.INVITED and not mail_address(b)]


def _check_open_for_links(remiss):
    if remiss.status != RemissStatus.OPEN:
        raise RemissError(_("Personliga länkar kan bara skapas och skickas medan remissen är öppen."))


def create_personal_link(body):
    """A fresh personal link for the drafting group to pass on by hand. The earlier link stops working.

    Returns the full address; only its hash is stored, so it can be shown this once.
    """
    _check_open_for_links(body.remiss)
    raw = _new_token(body)
    db.session.commit()
    return _external("remiss.invitation", token=raw)


def link_offers(body):
    """What the body's personal link offers someone who is not logged in (claiming.Invitation: state is SIGNUP when
    they can create an account there, else LOGIN; account_exists when the invited address has one)."""
    return claiming.state(body, None)


def set_body_email(body, email):
    """The address the body's invitations and reminders go to. Empty: the organisation's address in the registry."""
    email = _clean_email(email) or ""
    if not email and body.organisation_id is None:
        raise RemissError(_("En remissinstans utan organisation behöver en e-postadress."))
    if not email and not body.organisation.contact_email:
        raise RemissError(_("Skriv en e-postadress."))
    if email and body.organisation_id is None and any(
            b.id != body.id and b.organisation_id is None and (b.email or "").lower() == email
            for b in body.remiss.bodies):
        raise RemissError(_("%(email)s är redan inbjuden till remissen.", email=email))
    body.email = email or None
    db.session.commit()


def resend_invitation(body):
    """Mail the invitation again with a fresh personal link (the earlier one stops). Returns the address."""
    _check_open_for_links(body.remiss)
    to = mail_address(body)
    if not to:
        raise RemissError(_("%(name)s har ingen e-postadress. Lägg till en först.", name=body.display_name))
    _invite_mail(body, again=True)
    return to


def remove_body(body):
    if not body.is_removable:
        raise RemissError(_("En remissinstans som har börjat svara kan inte tas bort."))
    db.session.delete(body)
    db.session.commit()


def body_by_token(raw):
    if not raw:
        return None
    return db.session.scalar(sa.select(InvitedBody).where(InvitedBody.token_hash == hash_token(raw)))


def open_invitation(body):
    if body.opened_at is None:
        body.opened_at = utcnow()
    body.advance(BodyStatus.OPENED)
    db.session.commit()


def grant_extension(body, until):
    remiss = body.remiss
    if until is not None and until <= remiss.deadline:
        raise RemissError(_("Förlängningen måste gå ut efter remissens svarsdatum."))
    body.extension_until = until
    db.session.commit()


def pending_bodies(remiss):
    return [b for b in remiss.bodies if b.invited and b.status not in (BodyStatus.ANSWERED, BodyStatus.DECLINED)]


def send_reminders(remiss, now=None):
    """Mail every invited body that has neither answered nor declined. Returns the number of mails."""
    if remiss.status != RemissStatus.OPEN:
        raise RemissError(_("Påminnelser kan bara skickas medan remissen är öppen."))
    now = now or utcnow()
    sent = 0
    for body in pending_bodies(remiss):
        # Each reminder carries a fresh personal link, like the invitation: it works without an account too.
        if _invite_mail(body, reminder=True):
            body.last_reminded_at = now
            sent += 1
    db.session.commit()
    return sent


def send_due_reminders(now=None):
    """The automatic reminders: once per day per remiss, within N days before its deadline."""
    now = now or utcnow()
    today = utc_to_local(now).date()
    done = []
    remisses = db.session.scalars(sa.select(Remiss).where(
        Remiss.status == RemissStatus.OPEN, Remiss.reminder_days_before.is_not(None))).all()
    for remiss in remisses:
        if remiss.last_auto_reminder_on == today or now >= remiss.deadline:
            continue
        if now < remiss.deadline - timedelta(days=remiss.reminder_days_before):
            continue
        sent = send_reminders(remiss, now)
        remiss.last_auto_reminder_on = today
        db.session.commit()
        done.append((remiss, sent))
    return done


def merge_organisations(keep, drop):
    """Move the duplicate organisation's invitations and answers to the kept one. Where both have one for the
    same remiss, the submitted (or further advanced) one wins and the other is removed."""
    order = BodyStatus.ORDER
    kept_bodies = {b.remiss_id: b for b in db.session.scalars(
        sa.select(InvitedBody).where(InvitedBody.organisation_id == keep.id))}
    for body in db.session.scalars(sa.select(InvitedBody).where(InvitedBody.organisation_id == drop.id)).all():
        other = kept_bodies.get(body.remiss_id)
        if other is None:
            body.organisation_id = keep.id
        else:
            if order.index(body.status) > order.index(other.status):
                other.status = body.status
            other.invited = other.invited or body.invited
            db.session.delete(body)
    db.session.execute(sa.update(InvitedBody).where(InvitedBody.claimed_organisation_id == drop.id)
                       .values(claimed_organisation_id=keep.id))
    kept_answers = {a.remiss_id: a for a in db.session.scalars(
        sa.select(RemissAnswer).where(RemissAnswer.organisation_id == keep.id))}
    for answer in db.session.scalars(sa.select(RemissAnswer).where(RemissAnswer.organisation_id == drop.id)).all():
        other = kept_answers.get(answer.remiss_id)
        if other is None:
            answer.organisation_id = keep.id
        elif other.submitted_at is None and answer.submitted_at is not None:
            db.session.delete(other)
            db.session.flush()
            answer.organisation_id = keep.id
        else:
            db.session.delete(answer)
    db.session.flush()
