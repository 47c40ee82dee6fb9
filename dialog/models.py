"""Dialogue meetings: series, meetings, agenda, registrations, minutes, tasks and documents."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.errors import DomainError
from core.extensions import db
from core.models import HasStatus, Organisation, OutboxMessage, User, utcnow

KINDS = {
    "dialogmote": _l("Dialogmöte"),
    "konferens": _l("Konferens"),
    "samverkansgrupp": _l("Samverkansgrupp"),
    "styrgrupp": _l("Styrgrupp"),
    "seminarium": _l("Seminarium"),
}

# The six principles of the national agreement.
PRINCIPLES = {
    "dialog": _l("Dialog"),
    "langsiktighet": _l("Långsiktighet"),
    "kvalitet": _l("Kvalitet"),
    "oppenhet": _l("Öppenhet och insyn"),
    "sjalvstandighet": _l("Självständighet och oberoende"),
    "mangfald": _l("Mångfald"),
}

# The four levels of participation of the Council of Europe's code (2009).
LEVELS = {
    "information": _l("Information"),
    "samrad": _l("Samråd"),
    "dialog": _l("Dialog"),
    "partnerskap": _l("Partnerskap"),
}


# What an organiser sets on a meeting: the form, its pre-filling and the save all go by this one list.
MEETING_FIELDS = (
    "title", "kind", "series_id", "group_id", "description", "starts_at", "ends_at", "place", "online_url", "organiser_id",
    "moderator", "chair", "panel", "contact", "capacity", "registration_deadline", "consent_text",
    "principles", "levels", "what_to_bring", "reminder_days_before",
)


class MeetingStateError(DomainError):
    """A change the meeting's (or registration's) state does not allow; str() is a Swedish message."""

    code = "invalid_state"
    status = 409


class MeetingStatus:
    PLANNED = "planned"
    OPEN = "open"
    HELD = "held"
    CANCELLED = "cancelled"

    LABELS = {
        PLANNED: _l("Planerat"),
        OPEN: _l("Öppet för anmälan"),
        HELD: _l("Genomfört"),
        CANCELLED: _l("Inställt"),
    }
    # Which status each status may move to; everything else is refused on the model.
    ALLOWED = {
        PLANNED: {OPEN, HELD, CANCELLED},
        OPEN: {PLANNED, HELD, CANCELLED},
        HELD: set(),
        CANCELLED: {PLANNED},
    }


class RegistrationStatus:
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"

    LABELS = {
        REGISTERED: _l("Anmäld"),
        WAITING: _l("Väntelista"),
        CANCELLED: _l("Avbokad"),
    }


class TaskStatus:
    OPEN = "open"
    STARTED = "started"
    DONE = "done"

    LABELS = {OPEN: _l("Ej påbörjad"), STARTED: _l("Pågår"), DONE: _l("Klar")}
    UNFINISHED = (OPEN, STARTED)


class MeetingSeries(db.Model):
    """A process of meetings, e.g. "Överenskommelsen i Värmland" or a cooperation group."""

    __tablename__ = "meeting_series"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organiser: Mapped[Organisation | None] = relationship()
    meetings: Mapped[list["Meeting"]] = relationship(back_populates="series", order_by="Meeting.starts_at")

    def __repr__(self):
        return f"<MeetingSeries {self.title}>"


class Meeting(HasStatus, db.Model):
    statuses = MeetingStatus

    __tablename__ = "meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    # The standing group (core/agreements) whose meeting this is; its page counts meetings against the target.
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agreement_groups.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[str] = mapped_column(sa.String(30), default="dialogmote")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Naive UTC; typed and shown in Europe/Stockholm.
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    moderator: Mapped[str] = mapped_column(sa.String(200), default="")
    chair: Mapped[str] = mapped_column(sa.String(200), default="")
    panel: Mapped[str] = mapped_column(sa.Text, default="")
    contact: Mapped[str] = mapped_column(sa.Text, default="")
    capacity: Mapped[int | None]
    registration_deadline: Mapped[datetime | None]
    consent_text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=MeetingStatus.PLANNED, index=True)
    principles: Mapped[list] = mapped_column(sa.JSON, default=list)
    levels: Mapped[list] = mapped_column(sa.JSON, default=list)
    # A copy of the signer list's minute-taker (dialog.minutes keeps it): entered there, once.
    minute_taker: Mapped[str] = mapped_column(sa.String(200), default="")
    # Said in the reminder and on the meeting page (issue 13).
    what_to_bring: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # A reminder goes to the registered this many days before the start; None: no reminder.
    reminder_days_before: Mapped[int | None]
    # Set when the minute-taker and every justerare have approved; the public page shows minutes then.
    minutes_approved_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    series: Mapped[MeetingSeries | None] = relationship(back_populates="meetings")
    organiser: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Registration.id"
    )
    minutes_items: Mapped[list["MinutesItem"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MinutesItem.position"
    )
    tasks: Mapped[list["FollowUpTask"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="FollowUpTask.id"
    )
    signers: Mapped[list["MinutesSigner"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MinutesSigner.id"
    )
    revisions: Mapped[list["MinutesRevision"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MinutesRevision.id"
    )
    documents: Mapped[list["MeetingDocument"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDocument.id"
    )

    def __repr__(self):
        return f"<Meeting {self.title}>"

    # --- labels -------------------------------------------------------------
    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)

    @property
    def principle_labels(self):
        return [PRINCIPLES[p] for p in self.principles or [] if p in PRINCIPLES]

    @property
    def level_labels(self):
        return [LEVELS[p] for p in self.levels or [] if p in LEVELS]

    # --- state rules ----------------------------------------------------------
    def _move(self, new):
        if new not in MeetingStatus.ALLOWED.get(self.status, set()):
            raise MeetingStateError(
                _l("Ett möte med status ”%(old)s” kan inte ändras till ”%(new)s”.",
                   old=self.status_label, new=MeetingStatus.LABELS.get(new, new))
            )
        self.status = new

    def open_registration(self, now=None):
        now = now or utcnow()
        if self.ends_at <= now:
            raise MeetingStateError(_l("Mötet har redan varit; anmälan kan inte öppnas."))
        if self.registration_deadline and self.registration_deadline <= now:
            raise MeetingStateError(_l("Sista anmälningsdag har passerat. Ändra den först."))
        self._move(MeetingStatus.OPEN)

    def close_registration(self):
        if self.status != MeetingStatus.OPEN:
            raise MeetingStateError(_l("Anmälan är inte öppen."))
        self._move(MeetingStatus.PLANNED)

    def has_started(self, now=None):
        return self.starts_at <= (now or utcnow())

    def mark_held(self, now=None):
        if not self.has_started(now):
            raise MeetingStateError(_l("Mötet har inte börjat än och kan inte markeras som genomfört."))
        self._move(MeetingStatus.HELD)

    def require_minutes_approvable(self, now=None):
        """Minutes record what happened: like "mark as held", they are approved only once the meeting began."""
        if not self.has_started(now):
            raise MeetingStateError(_l("Mötet har inte börjat än. Anteckningarna kan justeras först efter mötet."))

    def cancel(self):
        self._move(MeetingStatus.CANCELLED)

    def reinstate(self):
        if self.status != MeetingStatus.CANCELLED:
            raise MeetingStateError(_l("Bara ett inställt möte kan återupptas."))
        self._move(MeetingStatus.PLANNED)

    # --- derived --------------------------------------------------------------
    @property
    def is_planned(self):
        return self.status == MeetingStatus.PLANNED

    @property
    def is_open(self):
        """Open for registration by status (registration_is_open() also checks the deadline and start)."""
        return self.status == MeetingStatus.OPEN

    @property
    def is_held(self):
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    def is_upcoming(self, now=None):
        return self.ends_at > (now or utcnow()) and self.status != MeetingStatus.CANCELLED

    def registration_is_open(self, now=None):
        now = now or utcnow()
        if self.status != MeetingStatus.OPEN or self.starts_at <= now:
            return False
        return not (self.registration_deadline and self.registration_deadline <= now)

    @property
    def registered_count(self):
        return sum(1 for r in self.registrations if r.status == RegistrationStatus.REGISTERED)

    @property
    def waiting_count(self):
        return sum(1 for r in self.registrations if r.status == RegistrationStatus.WAITING)

    @property
    def attended_count(self):
        return sum(1 for r in self.registrations if r.attended)

    @property
    def places_over(self):
        """Registered beyond capacity (walk-ins and organisers' own additions); 0 when within it."""
        if self.capacity is None:
            return 0
        return max(0, self.registered_count - self.capacity)

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.registered_count)

    @property
    def minutes_published(self):
        return self.minutes_approved_at is not None


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Wall-clock time of day in Stockholm ("09.30"), as an agenda shows it.
    time_label: Mapped[str] = mapped_column(sa.String(20), default="")
    title: Mapped[str] = mapped_column(sa.String(300))
    responsible: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")


class Registration(HasStatus, db.Model):
    statuses = RegistrationStatus

    __tablename__ = "registrations"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    # Lower-cased; None once anonymised (and for walk-ins who gave none).
    email: Mapped[str | None] = mapped_column(sa.String(254))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    # The organisation's name when registering: the annex and the counts survive erasure and deletions.
    organisation_name: Mapped[str] = mapped_column(sa.String(300), default="")
    dietary_needs: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(sa.Text, default="")
    consent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default=RegistrationStatus.REGISTERED, index=True)
    attended: Mapped[bool] = mapped_column(default=False)
    walk_in: Mapped[bool] = mapped_column(default=False)
    anonymised: Mapped[bool] = mapped_column(default=False)
    # Part of the signed personal link: rotating it (or erasing) makes old links stop working.
    link_nonce: Mapped[str] = mapped_column(sa.String(32), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    # When the reminder before the meeting was queued (issue 13): queued once per registration.
    reminded_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship(back_populates="registrations")
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self):
        return self.status != RegistrationStatus.CANCELLED

    @property
    def is_registered(self):
        return self.status == RegistrationStatus.REGISTERED

    @property
    def is_waiting(self):
        return self.status == RegistrationStatus.WAITING

    @property
    def is_cancelled(self):
        return self.status == RegistrationStatus.CANCELLED

    @property
    def organisation_label(self):
        return self.organisation.name if self.organisation else self.organisation_name

    def cancel(self, now=None):
        if self.status == RegistrationStatus.CANCELLED:
            raise MeetingStateError(_l("Anmälan är redan avbokad."))
        self.status = RegistrationStatus.CANCELLED
        self.cancelled_at = now or utcnow()
        self.attended = False

    def check_in(self, now=None):
        if self.status == RegistrationStatus.CANCELLED:
            raise MeetingStateError(_l("En avbokad anmälan kan inte prickas av som närvarande."))
        self.attended = True
        self.checked_in_at = now or utcnow()

    def undo_check_in(self):
        self.attended = False
        self.checked_in_at = None


class MinutesItem(db.Model):
    """The minutes of one agenda item (or a free heading)."""

    __tablename__ = "minutes_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0)
    heading: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="minutes_items")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    decisions: Mapped[list["Decision"]] = relationship(
        back_populates="minutes_item", cascade="all, delete-orphan", order_by="Decision.id"
    )


class Decision(db.Model):
    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("minutes_items.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)

    minutes_item: Mapped[MinutesItem] = relationship(back_populates="decisions")


class FollowUpTask(HasStatus, db.Model):
    statuses = TaskStatus

    __tablename__ = "followup_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(sa.Text)
    who: Mapped[str] = mapped_column(sa.String(300), default="")
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default=TaskStatus.OPEN, index=True)
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="tasks")

    @property
    def is_open(self):
        return self.status in TaskStatus.UNFINISHED

    @property
    def is_done(self):
        return self.status == TaskStatus.DONE

    def set_status(self, status, now=None):
        if status not in TaskStatus.LABELS:
            raise MeetingStateError(_l("Okänd status för uppgiften."))
        self.status = status
        self.done_at = (now or utcnow()) if status == TaskStatus.DONE else None


class MinutesSigner(db.Model):
    """The minute-taker or a justerare who approves the minutes before they are published."""

    __tablename__ = "minutes_signers"
    SEKRETERARE = "sekreterare"
    JUSTERARE = "justerare"
    ROLES = {SEKRETERARE: _l("Vid anteckningarna"), JUSTERARE: _l("Justerare")}

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    # "Offentlig sida" or "Organisationerna": one justerare from each side is the custom.
    side: Mapped[str] = mapped_column(sa.String(100), default="")
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The fingerprint of the minutes text approved (minutes.minutes_fingerprint): an approval counts only for
    # that text, so a change before the final approval clears it and the signer is asked again.
    approved_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    # Where the personal approval link goes; without one the organiser records a paper approval.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    approval_requested_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship(back_populates="signers")

    @property
    def role_label(self):
        return self.ROLES.get(self.role, self.role)


class MinutesRevision(db.Model):
    """The text of the minutes as it was before a change made after approval."""

    __tablename__ = "minutes_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    previous_text: Mapped[str] = mapped_column(sa.Text)
    new_text: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="revisions")
    changed_by: Mapped[User | None] = relationship()


class MeetingDocument(db.Model):
    __tablename__ = "meeting_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str] = mapped_column(sa.String(255))
    # Random name on disk, never the user's: no path tricks, no guessing.
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    mimetype: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    public: Mapped[bool] = mapped_column(default=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="documents")


# --- evaluation (issue 13) ---


class EvaluationMailing(db.Model):
    """That a participant of a held meeting was sent the link to its evaluation: nobody is mailed twice.

    The evaluation itself (statements, answers) is the barometer area's; dialog only knows who was asked."""

    __tablename__ = "evaluation_mailings"
    __table_args__ = (sa.UniqueConstraint("registration_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- invitations (issue 13) ---

class InvitationStatus:
    """How far an invited organisation has come; the mail itself has its own status in the outbox."""

    SENT = "sent"
    OPENED = "opened"
    REGISTERED = "registered"
    DECLINED = "declined"

    ORDER = (SENT, OPENED, REGISTERED, DECLINED)
    LABELS = {
        SENT: _l("Inbjuden"),
        OPENED: _l("Har öppnat länken"),
        REGISTERED: _l("Anmäld"),
        DECLINED: _l("Har tackat nej"),
    }


class MeetingInvitation(HasStatus, db.Model):
    """One organisation invited to one meeting: never two, so nothing is sent twice by accident."""

    statuses = InvitationStatus

    __tablename__ = "meeting_invitations"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # The address the invitation went to (the organisation's contact when it was sent).
    email: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[str] = mapped_column(sa.String(20), default=InvitationStatus.SENT, index=True)
    # Part of the signed link: a new one makes the old link stop working.
    link_nonce: Mapped[str] = mapped_column(sa.String(32), default="")
    # The latest mail of this invitation in the outbox (its status: queued, sent, failed).
    outbox_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    mails_queued: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime | None]
    registered_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]

    meeting: Mapped[Meeting] = relationship()
    organisation: Mapped[Organisation] = relationship()
    outbox_message: Mapped[OutboxMessage | None] = relationship()

    @property
    def is_declined(self):
        return self.status == InvitationStatus.DECLINED

    @property
    def is_answered(self):
        """Registered or declined: the organisation has given its answer."""
        return self.status in (InvitationStatus.REGISTERED, InvitationStatus.DECLINED)

    @property
    def mail_failed(self):
        return self.outbox_message is not None and self.outbox_message.is_failed

    def mark_opened(self, now=None):
        if self.opened_at is None:
            self.opened_at = now or utcnow()
        if self.status == InvitationStatus.SENT:
            self.status = InvitationStatus.OPENED

    def mark_registered(self, now=None):
        self.registered_at = self.registered_at or now or utcnow()
        self.status = InvitationStatus.REGISTERED

    def decline(self, now=None):
        if self.status == InvitationStatus.REGISTERED:
            raise MeetingStateError(_l("Organisationen är redan anmäld. Avboka anmälan via länken i bekräftelsen."))
        self.declined_at = now or utcnow()
        self.status = InvitationStatus.DECLINED


class InvitationOptOut(db.Model):
    """An organisation that asked for no more meeting invitations; later sendings leave it out."""

    __tablename__ = "invitation_opt_outs"
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
