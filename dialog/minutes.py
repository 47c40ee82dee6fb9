"""Minutes per agenda item, decisions, follow-up tasks, approval by the signers and revisions."""
from flask import render_template
from flask_babel import gettext as _

from core import signing
from core.audit import record
from core.extensions import db
from core.mail import external_url, send_mail
from core.models import utcnow
from dialog.models import (
    Decision,
    FollowUpTask,
    MeetingStateError,
    MinutesItem,
    MinutesRevision,
    MinutesSigner,
)


def minutes_text(meeting):
    """The minutes as plain text: what a revision keeps and what is compared."""
    parts = []
    for item in meeting.minutes_items:
        parts.append(f"## {item.heading}\n{item.body.strip()}")
        for decision in item.decisions:
            parts.append(f"Beslut: {decision.text}")
    return "\n\n".join(parts).strip()


def start_from_agenda(meeting):
    """One minutes item per agenda item that has none yet."""
    covered = {m.agenda_item_id for m in meeting.minutes_items}
    position = max((m.position for m in meeting.minutes_items), default=0)
    for agenda_item in meeting.agenda_items:
        if agenda_item.id in covered:
            continue
        position += 1
        db.session.add(MinutesItem(meeting=meeting, agenda_item_id=agenda_item.id, position=position,
                                   heading=agenda_item.title))
    db.session.commit()


def _record_change(meeting, before, user, reason):
    """After approval a change is kept: the text before and after, who and why."""
    after = minutes_text(meeting)
    if meeting.minutes_approved_at is None or after == before:
        return None
    revision = MinutesRevision(meeting=meeting, previous_text=before, new_text=after, reason=reason or "",
                               changed_by_id=getattr(user, "id", None))
    db.session.add(revision)
    return revision


def _check_reason(meeting, reason):
    if meeting.minutes_approved_at is not None and not (reason or "").strip():
        raise MeetingStateError(_("Anteckningarna är justerade. Skriv varför du ändrar dem."))


def add_minutes_item(meeting, heading, body="", decisions="", user=None, reason=""):
    _check_reason(meeting, reason)
    before = minutes_text(meeting)
    position = max((m.position for m in meeting.minutes_items), default=0) + 1
    item = MinutesItem(meeting=meeting, heading=heading.strip(), body=body or "", position=position)
    db.session.add(item)
    _set_decisions(item, decisions)
    db.session.flush()
    db.session.expire(meeting, ["minutes_items"])
    _record_change(meeting, before, user, reason)
    db.session.commit()
    return item


def _set_decisions(item, decisions):
    """Decisions are typed one per line."""
    wanted = [line.strip() for line in (decisions or "").splitlines() if line.strip()]
    item.decisions = [Decision(text=text) for text in wanted]


def save_minutes_item(item, heading, body, decisions="", user=None, reason=""):
    meeting = item.meeting
    _check_reason(meeting, reason)
    before = minutes_text(meeting)
    item.heading = heading.strip()
    item.body = body or ""
    _set_decisions(item, decisions)
    db.session.flush()
    revision = _record_change(meeting, before, user, reason)
    db.session.commit()
    return revision


def delete_minutes_item(item, user=None, reason=""):
    meeting = item.meeting
    _check_reason(meeting, reason)
    before = minutes_text(meeting)
    db.session.delete(item)
    db.session.flush()
    db.session.expire(meeting, ["minutes_items"])
    _record_change(meeting, before, user, reason)
    db.session.commit()


# --- tasks -----------------------------------------------------------------------------------

def add_task(meeting, what, who="", due_date=None):
    task = FollowUpTask(meeting=meeting, what=what.strip(), who=(who or "").strip(), due_date=due_date)
    db.session.add(task)
    db.session.commit()
    return task


def set_task_status(task, status, now=None):
    task.set_status(status, now=now)
    db.session.commit()
    return task


# --- approval ----------------------------------------------------------------------------------

def add_signer(meeting, role, name, side="", email=""):
    if role not in MinutesSigner.ROLES:
        raise MeetingStateError(_("Okänd roll."))
    if meeting.minutes_approved_at is not None:
        raise MeetingStateError(_("Anteckningarna är redan justerade."))
    signer = MinutesSigner(meeting=meeting, role=role, name=name.strip(), side=(side or "").strip(),
                           email=(email or "").strip().lower() or None)
    db.session.add(signer)
    db.session.commit()
    return signer


def remove_signer(signer):
    if signer.meeting.minutes_approved_at is not None:
        raise MeetingStateError(_("Anteckningarna är redan justerade."))
    db.session.delete(signer)
    db.session.commit()


def approve(signer, user=None, now=None):
    """Record one signer's approval; the minutes are approved (and published) once all have approved.

    They need a minute-taker and at least one justerare, and something written.
    """
    meeting = signer.meeting
    if not meeting.minutes_items:
        raise MeetingStateError(_("Det finns inga anteckningar att justera än."))
    if signer.approved_at is not None:
        raise MeetingStateError(_("%(name)s har redan godkänt anteckningarna.", name=signer.name))
    now = now or utcnow()
    signer.approved_at = now
    signer.approved_by_id = getattr(user, "id", None)
    db.session.flush()
    roles = {s.role for s in meeting.signers}
    if {MinutesSigner.SEKRETERARE, MinutesSigner.JUSTERARE} <= roles and all(s.approved_at for s in meeting.signers):
        meeting.minutes_approved_at = now
    record("minutes.approved", target=meeting, actor=user, signer_id=signer.id, role=signer.role,
           final=meeting.minutes_approved_at is not None)
    db.session.commit()
    return meeting.minutes_approved_at is not None


def approval_missing(meeting):
    """What is still needed before the minutes are approved, as Swedish sentences."""
    missing = []
    roles = {s.role for s in meeting.signers}
    if MinutesSigner.SEKRETERARE not in roles:
        missing.append(_("Lägg till den som förde anteckningarna."))
    if MinutesSigner.JUSTERARE not in roles:
        missing.append(_("Lägg till minst en justerare."))
    waiting = [s.name for s in meeting.signers if s.approved_at is None]
    if waiting:
        missing.append(_("Väntar på godkännande från: %(names)s.", names=", ".join(waiting)))
    return missing


# --- approval through a personal link ------------------------------------------------------------

APPROVAL_PURPOSE = "dialog-minutes-approval"
APPROVAL_SALT = signing.salt(APPROVAL_PURPOSE)
APPROVAL_LINK_DAYS = 60


def _signer_fingerprint(signer):
    # Binds the link to this meeting and address: a signer removed and added again under a
    # reused id (SQLite reuses the highest one) with someone else's address does not inherit it.
    return signing.fingerprint(f"{signer.meeting_id}:{signer.email or ''}")


def make_approval_token(signer):
    return signing.sign(APPROVAL_PURPOSE, {"sid": signer.id, "fp": _signer_fingerprint(signer)})


def approval_url(signer):
    return external_url("dialog.approve_minutes", token=make_approval_token(signer))


def signer_from_token(token):
    """The signer a personal approval link was made for, or None if it is wrong, expired or removed."""
    data = signing.unsign(APPROVAL_PURPOSE, token, max_age=APPROVAL_LINK_DAYS * 24 * 3600)
    signer_id = data.get("sid") if isinstance(data, dict) else None
    signer = db.session.get(MinutesSigner, signer_id) if isinstance(signer_id, int) else None
    if signer is None or not signer.email or data.get("fp") != _signer_fingerprint(signer):
        return None
    return signer


def minutes_fingerprint(meeting):
    """A short hash of the minutes text: the approval page posts the one it showed."""
    return signing.fingerprint(minutes_text(meeting))


def pending_with_email(meeting):
    """The signers who have not approved yet and can be sent a link."""
    return [s for s in meeting.signers if s.approved_at is None and s.email]


def request_approval(meeting, now=None):
    """Mail every signer who has not approved yet, and has an address, a personal link. Returns the count."""
    if not meeting.minutes_items:
        raise MeetingStateError(_("Det finns inga anteckningar att justera än."))
    if meeting.minutes_approved_at is not None:
        raise MeetingStateError(_("Anteckningarna är redan justerade."))
    now = now or utcnow()
    sent = 0
    for signer in pending_with_email(meeting):
        send_mail(
            signer.email,
            _("Justera anteckningarna från %(title)s", title=meeting.title),
            render_template("dialog/email/approval.txt", meeting=meeting, signer=signer,
                            link=approval_url(signer), days=APPROVAL_LINK_DAYS),
        )
        # Kept per mail: if the mail server fails halfway, those already sent stay marked.
        signer.approval_requested_at = now
        db.session.commit()
        sent += 1
    return sent


def approve_by_link(signer, fingerprint, now=None):
    """The signer approves what they read; refused if the minutes changed since the page was shown."""
    if signer.approved_at is None and fingerprint != minutes_fingerprint(signer.meeting):
        raise MeetingStateError(_("Anteckningarna ändrades medan du läste. Läs igenom dem igen."))
    return approve(signer, user=None, now=now)
