"""Barometers, statements, background questions, live sessions, participants and their answers."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.errors import DomainError
from core.extensions import db
from core.models import User, utcnow

SCALE_STEPS = (2, 4, 5, 7)
DEFAULT_STEPS = 5
# The two poles from the Värmland conference (sources/004).
POLE_DISAGREE = _l("Jag håller INTE med")
POLE_AGREE = _l("Jag håller med")

# Stored with each statement so a moderator can edit them; Swedish is the data language.
DEFAULT_LABELS = {
    2: ["Håller inte med", "Håller med"],
    4: ["Håller inte alls med", "Håller inte med", "Håller delvis med", "Håller helt med"],
    5: ["Håller inte alls med", "Håller inte med", "Varken eller", "Håller med", "Håller helt med"],
    7: ["Håller inte alls med", "Håller inte med", "Håller delvis inte med", "Varken eller",
        "Håller delvis med", "Håller med", "Håller helt med"],
}

# Join codes: no look-alikes (0/O, 1/I/L), so a code read off a projector is typed right the first time.
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
# What the URL converter accepts: any six letters or digits, so a hand-picked code such as the demo's
# VARM15 works too, also typed in lower case; the generator only ever uses JOIN_ALPHABET.
JOIN_CODE_REGEX = "[A-Za-z0-9]{6}"


class BarometerError(DomainError):
    """A rule of the barometer area refused what was asked."""


class TransitionError(BarometerError):
    """A live session was asked for a change its state does not allow."""

    status = 409

    def __init__(self, code, message):
        super().__init__(message, code=code)


class StatementLocked(BarometerError):
    """A statement (or background question) that has answers can no longer be edited or deleted."""

    code = "statement_locked"
    status = 409


class LiveError(BarometerError):
    """A refusal on the participants' live path (the JSON API): HTTP status, machine code, Swedish message."""

    def __init__(self, status, code, message):
        super().__init__(message, code=code, status=status)


class Barometer(db.Model):
    __tablename__ = "barometers"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    statements: Mapped[list["Statement"]] = relationship(
        back_populates="barometer", cascade="all, delete-orphan", order_by="Statement.position"
    )
    background_questions: Mapped[list["BackgroundQuestion"]] = relationship(
        back_populates="barometer", cascade="all, delete-orphan", order_by="BackgroundQuestion.position"
    )
    sessions: Mapped[list["LiveSession"]] = relationship(
        back_populates="barometer", cascade="all, delete-orphan", order_by="LiveSession.created_at.desc()"
    )

    def __repr__(self):
        return f"<Barometer {self.title!r}>"

    def can_manage(self, user):
        return bool(user and user.is_authenticated and (user.is_admin or user.id == self.owner_id))


class Statement(db.Model):
    __tablename__ = "barometer_statements"
    __table_args__ = (sa.CheckConstraint("steps IN (2, 4, 5, 7)", name="steps"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    barometer_id: Mapped[int] = mapped_column(sa.ForeignKey("barometers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    steps: Mapped[int] = mapped_column(default=DEFAULT_STEPS)
    labels: Mapped[list] = mapped_column(sa.JSON, default=list)
    allow_dont_know: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    barometer: Mapped[Barometer] = relationship(back_populates="statements")

    def __repr__(self):
        return f"<Statement {self.position}: {self.text[:30]!r}>"

    @property
    def step_labels(self):
        labels = list(self.labels or [])
        if len(labels) != self.steps:
            labels = list(DEFAULT_LABELS[self.steps])
        return labels

    def valid_value(self, value):
        if value is None:
            return self.allow_dont_know
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= self.steps

    def as_json(self, number=None):
        return {
            "id": self.id,
            "number": number,
            "text": self.text,
            "steps": [{"value": i, "label": label} for i, label in enumerate(self.step_labels, start=1)],
            "allow_dont_know": self.allow_dont_know,
        }


class BackgroundQuestion(db.Model):
    """Asked once when a participant joins; options are stored as [{"value", "label"}]."""

    __tablename__ = "barometer_background_questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    barometer_id: Mapped[int] = mapped_column(sa.ForeignKey("barometers.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.String(300))
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    allow_decline: Mapped[bool] = mapped_column(default=True)

    barometer: Mapped[Barometer] = relationship(back_populates="background_questions")

    def option_label(self, value):
        for option in self.options or []:
            if option["value"] == value:
                return option["label"]
        return None

    def as_json(self):
        return {"id": self.id, "text": self.text, "options": list(self.options or []),
                "allow_decline": self.allow_decline}


class SessionState:
    WAITING = "waiting"  # started, no statement shown yet
    RUNNING = "running"
    ENDED = "ended"
    ALL = (WAITING, RUNNING, ENDED)
    LABELS = {WAITING: _l("Väntar"), RUNNING: _l("Pågår"), ENDED: _l("Avslutad")}


class LiveSession(db.Model):
    """One live run of a barometer, e.g. at one conference. State rules live on the methods below."""

    __tablename__ = "barometer_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    barometer_id: Mapped[int] = mapped_column(sa.ForeignKey("barometers.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    code: Mapped[str] = mapped_column(sa.String(JOIN_CODE_LENGTH), unique=True)
    state: Mapped[str] = mapped_column(sa.String(10), default=SessionState.WAITING)
    current_statement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("barometer_statements.id", ondelete="SET NULL")
    )
    statement_open: Mapped[bool] = mapped_column(default=False)
    results_shown: Mapped[bool] = mapped_column(default=False)
    # Bumped on every change a participant must follow, so clients can tell new state from old.
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    # The dialogue meeting or conference the session was run at, if any.
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True)

    barometer: Mapped[Barometer] = relationship(back_populates="sessions")
    current_statement: Mapped[Statement | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<LiveSession {self.code} {self.state}>"

    @property
    def ended(self):
        return self.state == SessionState.ENDED

    @property
    def running(self):
        return self.state == SessionState.RUNNING

    @property
    def waiting(self):
        return self.state == SessionState.WAITING

    def accepts_answer(self, statement, value):
        """The model's rule for a valid answer: the session runs, the statement is the current, open one
        and the value is on its scale. The hot path's ANSWER_UPSERT (answering.py) states the same rule in
        SQL; tests/test_barometer/test_answer_rule.py checks that the two agree."""
        return (self.running and bool(self.statement_open) and statement is not None
                and self.current_statement_id == statement.id and statement.barometer_id == self.barometer_id
                and statement.valid_value(value))

    @property
    def state_label(self):
        return SessionState.LABELS.get(self.state, self.state)

    @property
    def display_name(self):
        return self.name or self.created_at.strftime("%Y-%m-%d %H:%M")

    def _require_live(self):
        if self.ended:
            raise TransitionError("session_ended", _l("Sessionen är avslutad."))

    def _bump(self):
        self.version = (self.version or 0) + 1

    def show_statement(self, statement):
        """Make statement the current one, closed, results hidden."""
        self._require_live()
        if statement.barometer_id != self.barometer_id:
            raise TransitionError("wrong_statement", _l("Påståendet hör inte till den här barometern."))
        self.current_statement_id = statement.id
        self.current_statement = statement
        self.state = SessionState.RUNNING
        self.statement_open = False
        self.results_shown = False
        self._bump()

    def open_statement(self):
        self._require_live()
        if self.current_statement_id is None:
            raise TransitionError("no_statement", _l("Välj ett påstående först."))
        self.statement_open = True
        self._bump()

    def close_statement(self):
        self._require_live()
        if not self.statement_open:
            raise TransitionError("not_open", _l("Påståendet är redan stängt."))
        self.statement_open = False
        self._bump()

    def set_results_shown(self, shown):
        if self.current_statement_id is None and not self.ended:
            raise TransitionError("no_statement", _l("Det finns inget resultat att visa än."))
        self.results_shown = bool(shown)
        self._bump()

    def end(self):
        self._require_live()
        self.state = SessionState.ENDED
        self.statement_open = False
        self.results_shown = False
        self.ended_at = utcnow()
        self._bump()


class Participant(db.Model):
    """An anonymous phone in the room; only the SHA-256 of its token is stored."""

    __tablename__ = "barometer_participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("barometer_sessions.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # {"<question id>": "<option value>" or null for "Vill inte svara"}
    background: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Answer(db.Model):
    """The last answer of one participant to one statement; value NULL means "Vet inte / avstår"."""

    __tablename__ = "barometer_answers"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "statement_id"),
        sa.Index("ix_barometer_answers_session_statement", "session_id", "statement_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("barometer_participants.id", ondelete="CASCADE")
    )
    statement_id: Mapped[int] = mapped_column(sa.ForeignKey("barometer_statements.id", ondelete="CASCADE"),
                                              index=True)
    # Copied from the participant so the presenter's recount reads one index.
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("barometer_sessions.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
