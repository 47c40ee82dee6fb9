"""Remiss models: the draft and its sections, invited bodies, answers, submitted versions and review marks."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.errors import DomainError
from core.extensions import db
from core.models import HasStatus, Organisation, User, utcnow


class RemissError(DomainError):
    """A rule of the remiss was broken; the message is shown to the user as is."""


POSITIONS = {
    "tillstyrker": _l("Tillstyrker"),
    "tillstyrker_delvis": _l("Tillstyrker delvis"),
    "avstyrker": _l("Avstyrker"),
    "avstar": _l("Avstår från att yttra sig"),
}
HANDLINGS = {
    "beaktas": _l("Beaktas"),
    "beaktas_delvis": _l("Beaktas delvis"),
    "beaktas_inte": _l("Beaktas inte"),
}
# The six principles of the national agreement: fixed tags next to the drafting group's own themes.
PRINCIPLES = ("Dialog", "Långsiktighet", "Kvalitet", "Öppenhet och insyn", "Självständighet och oberoende",
              "Mångfald")


class RemissStatus:
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    COMPILED = "compiled"
    LABELS = {
        DRAFT: _l("Utkast"),
        OPEN: _l("Öppen för svar"),
        CLOSED: _l("Stängd"),
        COMPILED: _l("Sammanställd"),
    }
    BADGES = {OPEN: "badge-ok", CLOSED: "badge-warn"}
    # closed → open lets the drafting group reopen after moving the deadline.
    TRANSITIONS = {DRAFT: {OPEN}, OPEN: {CLOSED}, CLOSED: {COMPILED, OPEN}, COMPILED: set()}


class BodyStatus:
    INVITED = "invited"
    OPENED = "opened"
    DRAFT_SAVED = "draft_saved"
    ANSWERED = "answered"
    DECLINED = "declined"
    LABELS = {
        INVITED: _l("Inbjuden"),
        OPENED: _l("Har öppnat"),
        DRAFT_SAVED: _l("Utkast sparat"),
        ANSWERED: _l("Har svarat"),
        DECLINED: _l("Avböjt att svara"),
    }
    BADGES = {INVITED: "badge-warn", OPENED: "badge-warn", DRAFT_SAVED: "badge-warn", ANSWERED: "badge-ok"}
    ORDER = [INVITED, OPENED, DRAFT_SAVED, ANSWERED, DECLINED]


remiss_drafters = sa.Table(
    "remiss_drafters",
    db.metadata,
    sa.Column("remiss_id", sa.ForeignKey("remisses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Remiss(HasStatus, db.Model):
    statuses = RemissStatus

    __tablename__ = "remisses"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    diarienummer: Mapped[str] = mapped_column(sa.String(60), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime]
    deadline: Mapped[datetime]
    status: Mapped[str] = mapped_column(sa.String(20), default=RemissStatus.DRAFT)
    allow_uninvited: Mapped[bool] = mapped_column(default=False)
    # Answers become public when the drafting group publishes, or by themselves at the deadline.
    publish_at_deadline: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None]
    reminder_days_before: Mapped[int | None]
    last_auto_reminder_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sections: Mapped[list["RemissSection"]] = relationship(
        back_populates="remiss", cascade="all, delete-orphan", order_by="RemissSection.number"
    )
    attachments: Mapped[list["RemissAttachment"]] = relationship(
        primaryjoin="and_(RemissAttachment.remiss_id == Remiss.id, RemissAttachment.answer_id.is_(None))",
        viewonly=True, order_by="RemissAttachment.id",
    )
    bodies: Mapped[list["InvitedBody"]] = relationship(back_populates="remiss", cascade="all, delete-orphan")
    drafters: Mapped[list[User]] = relationship(secondary=remiss_drafters, order_by=User.name)

    def __repr__(self):
        return f"<Remiss {self.diarienummer} {self.title}>"

    @property
    def status_badge(self):
        return RemissStatus.BADGES.get(self.status, "")

    @property
    def is_draft(self):
        return self.status == RemissStatus.DRAFT

    @property
    def is_open(self):
        return self.status == RemissStatus.OPEN

    @property
    def is_compiled(self):
        return self.status == RemissStatus.COMPILED

    @property
    def can_open(self):
        return self.can_become(RemissStatus.OPEN)

    @property
    def can_close(self):
        return self.can_become(RemissStatus.CLOSED)

    @property
    def can_compile(self):
        return self.can_become(RemissStatus.COMPILED)

    @property
    def sections_editable(self):
        """Sections may be written until the remiss closes (removed and imported only while a draft)."""
        return self.status in (RemissStatus.DRAFT, RemissStatus.OPEN)

    def can_become(self, status):
        return status in RemissStatus.TRANSITIONS.get(self.status, set())

    def _move(self, status):
        if not self.can_become(status):
            raise RemissError(_l("Remissen kan inte gå från ”%(old)s” till ”%(new)s”.",
                                 old=self.status_label, new=RemissStatus.LABELS.get(status, status)))
        self.status = status

    def open(self):
        if not self.sections:
            raise RemissError(_l("Lägg till minst ett avsnitt innan remissen öppnas."))
        if self.deadline <= self.opens_at:
            raise RemissError(_l("Svarsdatum måste vara efter öppningsdatum."))
        self._move(RemissStatus.OPEN)

    def close(self):
        self._move(RemissStatus.CLOSED)

    def compile(self):
        self._move(RemissStatus.COMPILED)

    def reopen(self, now=None):
        if self.deadline <= (now or utcnow()):
            raise RemissError(_l("Flytta svarsdatum framåt innan remissen öppnas igen."))
        self._move(RemissStatus.OPEN)

    def is_drafter(self, user):
        if not getattr(user, "is_authenticated", False):
            return False
        return user.is_admin or any(u.id == user.id for u in self.drafters)

    def is_published(self, now=None):
        if self.published_at is not None:
            return True
        return self.publish_at_deadline and self.status != RemissStatus.DRAFT and (now or utcnow()) >= self.deadline

    def accepting(self, now=None, extension_until=None):
        """Whether answers may be saved and submitted now (an extension overrides the deadline)."""
        now = now or utcnow()
        if self.status != RemissStatus.OPEN or now < self.opens_at:
            return False
        return now < self.deadline or (extension_until is not None and now < extension_until)


class RemissSection(db.Model):
    __tablename__ = "remiss_sections"
    __table_args__ = (sa.UniqueConstraint("remiss_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text, default="")

    remiss: Mapped[Remiss] = relationship(back_populates="sections")


class RemissAttachment(db.Model):
    """A document (PDF, .docx or .odt): of the remiss itself (answer_id empty) or of one organisation's answer."""

    __tablename__ = "remiss_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    answer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("remiss_answers.id", ondelete="CASCADE"),
                                                  index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InvitedBody(HasStatus, db.Model):
    """A remissinstans: an organisation and/or an email address asked to answer."""

    statuses = BodyStatus

    __tablename__ = "remiss_bodies"
    __table_args__ = (sa.UniqueConstraint("remiss_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # Only the SHA-256 of the personal link's token is stored.
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=BodyStatus.INVITED)
    # False for an organisation that answered without being invited.
    invited: Mapped[bool] = mapped_column(default=True)
    extension_until: Mapped[datetime | None]
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    last_reminded_at: Mapped[datetime | None]
    # An email-only invitation whose holder named a registry organisation it cannot be tied to on their word:
    # the organisation and the account waiting for the drafting group's (or an administrator's) confirmation.
    claimed_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    remiss: Mapped[Remiss] = relationship(back_populates="bodies")
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    claimed_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[claimed_organisation_id])

    @property
    def status_badge(self):
        return BodyStatus.BADGES.get(self.status, "")

    @property
    def display_name(self):
        return self.organisation.name if self.organisation else (self.email or "")

    @property
    def is_declined(self):
        return self.status == BodyStatus.DECLINED

    @property
    def is_settled(self):
        """It has answered or declined: nothing more to send it."""
        return self.status in (BodyStatus.ANSWERED, BodyStatus.DECLINED)

    @property
    def is_removable(self):
        """Not once it has started answering: its draft or answer would go with it."""
        return self.status not in (BodyStatus.ANSWERED, BodyStatus.DRAFT_SAVED)

    def advance(self, status):
        """Move forward only: a body that answered is not set back to 'opened' by a later visit."""
        order = BodyStatus.ORDER
        if self.status == BodyStatus.DECLINED and status != BodyStatus.ANSWERED:
            return
        if order.index(status) > order.index(self.status) or status == BodyStatus.ANSWERED:
            self.status = status


class RemissAnswer(db.Model):
    """An organisation's remissvar: the shared draft (edited with autosave) and the latest submitted text."""

    __tablename__ = "remiss_answers"
    __table_args__ = (sa.UniqueConstraint("remiss_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 index=True)
    # The draft, as the respondents write it.
    position: Mapped[str | None] = mapped_column(sa.String(30))
    general_comment: Mapped[str] = mapped_column(sa.Text, default="")
    decided_by: Mapped[str] = mapped_column(sa.String(300), default="")
    signatory: Mapped[str] = mapped_column(sa.String(300), default="")
    # Optimistic locking: every save must name the version it started from.
    version: Mapped[int] = mapped_column(default=1)
    require_ready: Mapped[bool] = mapped_column(default=False)
    ready: Mapped[bool] = mapped_column(default=False)
    ready_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    contains_personal_data: Mapped[bool] = mapped_column(default=False)
    personal_data_reviewed: Mapped[bool] = mapped_column(default=False)
    # The latest submitted text: what the drafting group and the public read.
    submitted_version: Mapped[int | None]
    final_position: Mapped[str | None] = mapped_column(sa.String(30))
    final_general_comment: Mapped[str] = mapped_column(sa.Text, default="")
    final_decided_by: Mapped[str] = mapped_column(sa.String(300), default="")
    final_signatory: Mapped[str] = mapped_column(sa.String(300), default="")
    # The "contains personal data" box as it was in the submitted version: publication reads this, never the
    # draft's box, which the respondents may untick without resubmitting.
    final_contains_personal_data: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    first_submitted_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    remiss: Mapped[Remiss] = relationship()
    organisation: Mapped[Organisation] = relationship()
    section_answers: Mapped[list["SectionAnswer"]] = relationship(
        back_populates="answer", cascade="all, delete-orphan")
    submissions: Mapped[list["AnswerSubmission"]] = relationship(
        back_populates="answer", cascade="all, delete-orphan", order_by="AnswerSubmission.number")
    attachments: Mapped[list[RemissAttachment]] = relationship(
        cascade="all, delete-orphan", order_by=RemissAttachment.id)
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def has_unsubmitted_changes(self):
        return self.submitted_version is not None and self.version != self.submitted_version

    @property
    def position_label(self):
        return POSITIONS.get(self.position, "")

    @property
    def final_position_label(self):
        return POSITIONS.get(self.final_position, "")

    @property
    def submitted_attachment_ids(self):
        """The attachments of the latest submitted version (older snapshots did not list them: all, then)."""
        if not self.submissions:
            return set()
        listed = self.submissions[-1].snapshot.get("attachments")
        if listed is None:
            return {a.id for a in self.attachments}
        return {a["id"] for a in listed}

    @property
    def submitted_attachments(self):
        ids = self.submitted_attachment_ids
        return [a for a in self.attachments if a.id in ids]

    @property
    def is_public(self):
        """Published answers: submitted, and checked by the drafting group if the submitted version is flagged for
        personal data (the draft's box plays no part)."""
        return self.is_submitted and (not self.final_contains_personal_data or self.personal_data_reviewed)


class SectionAnswer(db.Model):
    __tablename__ = "remiss_section_answers"
    __table_args__ = (
        sa.UniqueConstraint("answer_id", "section_id"),
        # The position counts and theme totals read only these: from the index, not from rows of long text (and
        # no index on has_final alone: SQLite, without statistics, chose it and walked every remiss's comments).
        sa.Index("ix_remiss_section_answers_positions", "answer_id", "section_id", "final_position", "has_final"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("remiss_answers.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(sa.ForeignKey("remiss_sections.id", ondelete="CASCADE"), index=True)
    position: Mapped[str | None] = mapped_column(sa.String(30))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    proposed_wording: Mapped[str] = mapped_column(sa.Text, default="")
    final_position: Mapped[str | None] = mapped_column(sa.String(30))
    final_comment: Mapped[str] = mapped_column(sa.Text, default="")
    final_wording: Mapped[str] = mapped_column(sa.Text, default="")
    # Whether the latest submission said anything on this section (the per-section view filters on it).
    has_final: Mapped[bool] = mapped_column(default=False)

    answer: Mapped[RemissAnswer] = relationship(back_populates="section_answers")
    section: Mapped[RemissSection] = relationship()
    tags: Mapped[list["CommentTag"]] = relationship(cascade="all, delete-orphan", order_by="CommentTag.tag")
    quotes: Mapped[list["KeyQuote"]] = relationship(
        back_populates="section_answer", cascade="all, delete-orphan", order_by="KeyQuote.id")

    @property
    def final_position_label(self):
        return POSITIONS.get(self.final_position, "")


class AnswerSubmission(db.Model):
    """Every submitted version of an answer, kept as a JSON snapshot."""

    __tablename__ = "remiss_submissions"
    __table_args__ = (sa.UniqueConstraint("answer_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("remiss_answers.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    answer: Mapped[RemissAnswer] = relationship(back_populates="submissions")
    submitted_by: Mapped[User | None] = relationship()


class CommentTag(db.Model):
    """A theme (free text or one of the six principles) the drafting group put on a section comment."""

    __tablename__ = "remiss_comment_tags"
    __table_args__ = (sa.UniqueConstraint("section_answer_id", "tag"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    section_answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("remiss_section_answers.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(sa.String(100))


class KeyQuote(db.Model):
    """A marked quote: a point in the compilation, with how the drafting group handles it."""

    __tablename__ = "remiss_key_quotes"
    id: Mapped[int] = mapped_column(primary_key=True)
    section_answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("remiss_section_answers.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    handling: Mapped[str | None] = mapped_column(sa.String(20))
    handling_reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    section_answer: Mapped[SectionAnswer] = relationship(back_populates="quotes")

    @property
    def handling_label(self):
        return HANDLINGS.get(self.handling, "")


# --- draft versions (issue 12) ---

class DraftVersion(db.Model):
    """A revised version of the draft, after the answers: uploaded as a file and/or edited section by section."""

    __tablename__ = "remiss_draft_versions"
    __table_args__ = (sa.UniqueConstraint("remiss_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    # 2, 3, …: the remitted draft itself is version 1.
    number: Mapped[int]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # The uploaded file (PDF, .docx or .odt), if the version came as one: shown as is, never parsed again.
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    stored_name: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    remiss: Mapped[Remiss] = relationship()
    sections: Mapped[list["DraftVersionSection"]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="DraftVersionSection.number")
    created_by: Mapped[User | None] = relationship()


class DraftVersionSection(db.Model):
    """A section of a revised version; section_id names the remitted section it revises (None: a new section)."""

    __tablename__ = "remiss_draft_version_sections"
    __table_args__ = (sa.UniqueConstraint("version_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("remiss_draft_versions.id", ondelete="CASCADE"),
                                            index=True)
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("remiss_sections.id", ondelete="SET NULL"),
                                                   index=True)
    number: Mapped[int]
    heading: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    version: Mapped[DraftVersion] = relationship(back_populates="sections")
    section: Mapped[RemissSection | None] = relationship()


class HandlingTarget(db.Model):
    """Where a handling decision (on a marked quote) landed: a section of a revised version of the draft.

    The decision and its reason stay on the quote; this only says which new text came of it.
    """

    __tablename__ = "remiss_handling_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(sa.ForeignKey("remiss_key_quotes.id", ondelete="CASCADE"), unique=True)
    version_section_id: Mapped[int] = mapped_column(
        sa.ForeignKey("remiss_draft_version_sections.id", ondelete="CASCADE"), index=True)

    quote: Mapped[KeyQuote] = relationship()
    version_section: Mapped[DraftVersionSection] = relationship()


# --- themes and summaries (issue 12) ---

class Theme(db.Model):
    """A theme the drafting group can put on comments: one of the six principles (remiss_id empty, seeded by
    the migration and on table creation) or the drafting group's own for one remiss."""

    __tablename__ = "remiss_themes"
    __table_args__ = (sa.UniqueConstraint("remiss_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int | None] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column(default=0)

    @property
    def is_principle(self):
        return self.remiss_id is None


# The six principles of the national agreement, as rows: the migration inserts the same ones.
PRINCIPLE_ROWS = [{"name": name, "position": i} for i, name in enumerate(PRINCIPLES, start=1)]


@sa.event.listens_for(Theme.__table__, "after_create")
def _seed_principles(table, connection, **_kw):
    connection.execute(table.insert(), PRINCIPLE_ROWS)


class ThemeMark(db.Model):
    """A theme put on the general comment of an answer (quote_id empty) or on a marked quote. Section
    comments carry theirs as CommentTag rows (the same names), so one total covers all three."""

    __tablename__ = "remiss_theme_marks"
    __table_args__ = (sa.UniqueConstraint("answer_id", "quote_id", "tag"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("remiss_answers.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(sa.ForeignKey("remiss_key_quotes.id", ondelete="CASCADE"),
                                                 index=True)
    tag: Mapped[str] = mapped_column(sa.String(100))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemissSummary(db.Model):
    """The drafting group's written summary of one section (section_id set) or of the whole remiss; saved
    with the same version check as an answer, so two writers never overwrite each other."""

    __tablename__ = "remiss_summaries"
    __table_args__ = (sa.UniqueConstraint("remiss_id", "section_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remiss_id: Mapped[int] = mapped_column(sa.ForeignKey("remisses.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(sa.ForeignKey("remiss_sections.id", ondelete="CASCADE"))
    # 0 for the overall summary, else the section id: a unique key that NULL would not give.
    section_key: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()
