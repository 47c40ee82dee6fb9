"""Meetings and series: queries, the rules for saving a meeting, its status and its agenda."""
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from core.errors import DomainError
from core.extensions import db
from core.models import utcnow
from core.templating import local_date
from dialog.models import (
    MEETING_FIELDS,
    AgendaItem,
    FollowUpTask,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    TaskStatus,
)
from dialog.registration import notify_meeting_cancelled, promote_waiting
from dialog.reminders import MAX_DAYS_BEFORE

STATUS_ACTIONS = ("open", "close", "held", "cancel", "reinstate")


class MeetingProblems(DomainError):
    """Values a meeting cannot have; `problems` holds the Swedish message per form field."""

    code = "invalid_meeting"

    def __init__(self, problems):
        super().__init__(_("Mötet kan inte sparas så här."), problems={k: str(v) for k, v in problems.items()})
        self.problems = problems


def upcoming_meetings(now=None, limit=None):
    now = now or utcnow()
    query = (sa.select(Meeting).where(Meeting.ends_at > now, Meeting.status != MeetingStatus.CANCELLED)
             .order_by(Meeting.starts_at))
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def meeting_choices(ids=None, now=None):
    """The "meetings" choice source (core/registry.py) other areas' forms pick from: [(id, "date – title")].

    Without ids: the recent and upcoming meetings (starting within the last 60 days or later), newest
    first, at most 50. With ids: the labels of exactly those meetings, whenever they were."""
    query = sa.select(Meeting)
    if ids is not None:
        query = query.where(Meeting.id.in_(list(ids)))
    else:
        since = (now or utcnow()) - timedelta(days=60)
        query = query.where(Meeting.starts_at >= since).order_by(Meeting.starts_at.desc()).limit(50)
    return [(m.id, f"{local_date(m.starts_at)} – {m.title}") for m in db.session.scalars(query)]


def past_meetings(now=None):
    now = now or utcnow()
    query = sa.select(Meeting).where(Meeting.ends_at <= now).order_by(Meeting.starts_at.desc())
    return db.session.scalars(query).all()


def cancelled_upcoming(now=None):
    now = now or utcnow()
    query = (sa.select(Meeting).where(Meeting.ends_at > now, Meeting.status == MeetingStatus.CANCELLED)
             .order_by(Meeting.starts_at))
    return db.session.scalars(query).all()


def all_meetings():
    return db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at.desc())).all()


def all_series():
    return db.session.scalars(sa.select(MeetingSeries).order_by(MeetingSeries.title)).all()


def active_registration_count(meeting_id):
    return db.session.scalar(
        sa.select(sa.func.count(Registration.id)).where(
            Registration.meeting_id == meeting_id, Registration.status == RegistrationStatus.REGISTERED
        )
    ) or 0


def meeting_problems(data, meeting=None, now=None):
    """The Swedish message per field for values a meeting cannot have.

    data: starts_at, ends_at (naive UTC), capacity, registration_deadline (naive UTC).
    A deadline is only refused for being past when it is new or changed: an old meeting keeps its own.
    """
    now = now or utcnow()
    problems = {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        problems["ends_at"] = _("Mötet måste sluta efter att det börjar.")
    capacity = data.get("capacity")
    if capacity is not None:
        if capacity < 1:
            problems["capacity"] = _("Antalet platser måste vara minst 1, eller lämnas tomt för obegränsat.")
        elif meeting is not None and meeting.id is not None:
            taken = active_registration_count(meeting.id)
            if capacity < taken:
                problems["capacity"] = _(
                    "Det finns redan %(count)d anmälda. Antalet platser kan inte vara färre än så.", count=taken
                )
    days = data.get("reminder_days_before")
    if days is not None and not 1 <= days <= MAX_DAYS_BEFORE:
        problems["reminder_days_before"] = _(
            "Skriv hur många dagar före mötet påminnelsen ska gå, från 1 till %(max)d.", max=MAX_DAYS_BEFORE)
    deadline = data.get("registration_deadline")
    if deadline is not None:
        changed = meeting is None or meeting.registration_deadline != deadline
        if changed and deadline <= now:
            problems["registration_deadline"] = _("Sista anmälningsdag har redan passerat. Välj en senare tid.")
        elif starts and deadline > starts:
            problems["registration_deadline"] = _("Sista anmälningsdag måste vara före mötets start.")
    return problems


def save_meeting(meeting, data, user=None, now=None):
    """Create or update a meeting from cleaned data; raises MeetingProblems (per field)."""
    problems = meeting_problems(data, meeting if meeting.id else None, now=now)
    if problems:
        raise MeetingProblems(problems)
    old_capacity, old_start = meeting.capacity, meeting.starts_at
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    if meeting.id is None:
        meeting.created_by_id = getattr(user, "id", None)
        db.session.add(meeting)
    db.session.flush()
    if old_start is not None and meeting.starts_at != old_start:
        # A moved meeting is a new date to be reminded of.
        db.session.execute(sa.update(Registration).where(Registration.meeting_id == meeting.id)
                           .values(reminded_at=None))
    promoted = []
    if meeting.capacity is None or (old_capacity is not None and meeting.capacity > old_capacity):
        promoted = promote_waiting(meeting)
    db.session.commit()
    return promoted


def change_status(meeting, action, now=None):
    """Run a state change by name (one of STATUS_ACTIONS); the model refuses what its status does not allow."""
    actions = {
        "open": meeting.open_registration,
        "close": meeting.close_registration,
        "held": meeting.mark_held,
        "cancel": meeting.cancel,
        "reinstate": meeting.reinstate,
    }
    if action in ("open", "held"):
        actions[action](now=now)
    else:
        actions[action]()
    db.session.commit()
    if action == "cancel":
        notify_meeting_cancelled(meeting)
        db.session.commit()


def save_series(series, title, description="", organiser_id=None):
    series.title = title
    series.description = description
    series.organiser_id = organiser_id
    if series.id is None:
        db.session.add(series)
    db.session.commit()
    return series


# --- agenda ---------------------------------------------------------------------

def add_agenda_item(meeting, title, time_label="", responsible="", description=""):
    position = max((i.position for i in meeting.agenda_items), default=0) + 1
    item = AgendaItem(meeting=meeting, title=title, time_label=time_label, responsible=responsible,
                      description=description, position=position)
    db.session.add(item)
    db.session.commit()
    return item


def update_agenda_item(item, title, time_label="", responsible="", description=""):
    item.title = title
    item.time_label = time_label
    item.responsible = responsible
    item.description = description
    db.session.commit()
    return item


def move_agenda_item(item, direction):
    """Swap an item with its neighbour; positions are renumbered 1..n so gaps never accumulate."""
    items = list(item.meeting.agenda_items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        row.position = position
    db.session.commit()


def delete_agenda_item(item):
    meeting = item.meeting
    db.session.delete(item)
    db.session.flush()
    db.session.expire(meeting, ["agenda_items"])
    for position, row in enumerate(meeting.agenda_items, start=1):
        row.position = position
    db.session.commit()


# --- series follow-up -------------------------------------------------------------

def _published(query, published_only):
    """Tasks come from the minutes: the public sees them only once those minutes are approved."""
    return query.where(Meeting.minutes_approved_at.is_not(None)) if published_only else query


def open_tasks_before(meeting, published_only=False):
    """Unfinished tasks of the earlier meetings of the same series: what the next meeting follows up."""
    if meeting.series_id is None:
        return []
    query = (
        sa.select(FollowUpTask)
        .join(Meeting, FollowUpTask.meeting_id == Meeting.id)
        .where(
            Meeting.series_id == meeting.series_id,
            Meeting.starts_at < meeting.starts_at,
            Meeting.id != meeting.id,
            FollowUpTask.status.in_(TaskStatus.UNFINISHED),
        )
        .order_by(Meeting.starts_at, FollowUpTask.id)
    )
    return db.session.scalars(_published(query, published_only)).all()


def open_tasks_of_series(series, published_only=False):
    query = (
        sa.select(FollowUpTask)
        .join(Meeting, FollowUpTask.meeting_id == Meeting.id)
        .where(Meeting.series_id == series.id, FollowUpTask.status.in_(TaskStatus.UNFINISHED))
        .order_by(Meeting.starts_at, FollowUpTask.id)
    )
    return db.session.scalars(_published(query, published_only)).all()


def previous_and_next(meeting):
    """The neighbouring meetings of the same series (None at the ends)."""
    if meeting.series is None:
        return None, None
    meetings = [m for m in meeting.series.meetings if m.status != MeetingStatus.CANCELLED or m.id == meeting.id]
    index = meetings.index(meeting)
    before = meetings[index - 1] if index > 0 else None
    after = meetings[index + 1] if index + 1 < len(meetings) else None
    return before, after


def merge_organisations(keep, drop):
    """Move registrations and organiser references from the duplicate organisation to the kept one."""
    db.session.execute(sa.update(Registration).where(Registration.organisation_id == drop.id)
                       .values(organisation_id=keep.id, organisation_name=keep.name))
    db.session.execute(sa.update(Meeting).where(Meeting.organiser_id == drop.id).values(organiser_id=keep.id))
    db.session.execute(sa.update(MeetingSeries).where(MeetingSeries.organiser_id == drop.id)
                       .values(organiser_id=keep.id))


def registrations_for_organiser(meeting):
    """The organiser's list: registered first, then the waiting list, then cancelled; each in order of arrival."""
    return sorted(meeting.registrations, key=lambda r: (not r.is_registered, not r.is_waiting, r.created_at))


def public_documents(meeting):
    return [d for d in meeting.documents if d.public]
