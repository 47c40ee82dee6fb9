"""Accounts, roles, organisation memberships, API tokens and the organisation registry; the Publishable mixin."""
import hashlib
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.errors import DomainError
from core.extensions import db


def utcnow():
    """Naive UTC timestamp: both SQLite and PostgreSQL store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


class HasStatus:
    """A row with a status column whose statuses class (a class with LABELS) names it: status_label in the user's
    language, the status itself when it has no label."""

    statuses = None

    @property
    def status_label(self):
        return self.statuses.LABELS.get(self.status, self.status)


class Publishable(HasStatus):
    """A row with a draft and a published state (columns status and published_at): publish() and unpublish()
    refuse a change the state does not allow.

    The model names its statuses (a class with DRAFT, PUBLISHED and LABELS), the error it refuses with and the
    two refusals' messages; check_publishable() is where it asks for what must be filled in first.
    """

    refusal = DomainError
    already_published = None
    not_published = None

    @property
    def is_published(self):
        return self.status == self.statuses.PUBLISHED

    def check_publishable(self):
        """Raise self.refusal when something must be filled in before publishing."""

    def publish(self):
        if self.is_published:
            raise self.refusal(self.already_published)
        self.check_publishable()
        self.status = self.statuses.PUBLISHED
        self.published_at = utcnow()

    def unpublish(self):
        if not self.is_published:
            raise self.refusal(self.not_published)
        self.status = self.statuses.DRAFT
        self.published_at = None


class Role:
    ADMIN = "admin"
    MODERATOR = "moderator"
    SKRIVARGRUPP = "skrivargrupp"
    RESPONDENT = "respondent"

    ALL = (ADMIN, MODERATOR, SKRIVARGRUPP, RESPONDENT)
    LABELS = {
        ADMIN: _l("Administratör"),
        MODERATOR: _l("Moderator"),
        SKRIVARGRUPP: _l("Skrivargrupp"),
        RESPONDENT: _l("Svarande för organisation"),
    }


LEGAL_FORMS = {
    "forening": _l("Förening"),
    "ekonomisk_forening": _l("Ekonomisk förening/kooperativ"),
    "stiftelse": _l("Stiftelse"),
    "trossamfund": _l("Trossamfund"),
    "socialt_foretag": _l("Socialt företag"),
    "natverk": _l("Nätverk/plattform"),
    "offentlig": _l("Offentlig aktör"),
    "ovrigt": _l("Övrigt"),
}

# The four sub-regional platforms of Västra Götaland first, then the other counties.
SUB_REGIONS = {
    "goteborgsregionen": _l("Göteborgsregionen"),
    "skaraborg": _l("Skaraborg"),
    "sjuharad": _l("Sjuhärad"),
    "fyrbodal": _l("Fyrbodal"),
    "blekinge": "Blekinge län",
    "dalarna": "Dalarnas län",
    "gotland": "Gotlands län",
    "gavleborg": "Gävleborgs län",
    "halland": "Hallands län",
    "jamtland": "Jämtlands län",
    "jonkoping": "Jönköpings län",
    "kalmar": "Kalmar län",
    "kronoberg": "Kronobergs län",
    "norrbotten": "Norrbottens län",
    "skane": "Skåne län",
    "stockholm": "Stockholms län",
    "sodermanland": "Södermanlands län",
    "uppsala": "Uppsala län",
    "varmland": "Värmlands län",
    "vasterbotten": "Västerbottens län",
    "vasternorrland": "Västernorrlands län",
    "vastmanland": "Västmanlands län",
    "orebro": "Örebro län",
    "ostergotland": "Östergötlands län",
}
VG_SUB_REGIONS = ("goteborgsregionen", "skaraborg", "sjuharad", "fyrbodal")


class UserRole(db.Model):
    __tablename__ = "user_roles"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)


class Membership(db.Model):
    """A user writes for an organisation; can_sign lets them submit its answers."""

    __tablename__ = "memberships"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    can_sign: Mapped[bool] = mapped_column(default=True)
    # False while someone who named this organisation from a personal link waits for an administrator (or the
    # drafting group) to confirm them: until then they read and write nothing of the organisation's.
    confirmed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    user: Mapped["User"] = relationship(back_populates="memberships")
    organisation: Mapped["Organisation"] = relationship(back_populates="memberships")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(sa.String(5))
    # Rotated on password change and on logout-everywhere: old session cookies stop working.
    session_token: Mapped[str] = mapped_column(sa.String(32), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self):
        return f"<User {self.email}>"

    # Flask-Login
    def get_id(self):
        return f"{self.id}.{self.session_token}"

    @property
    def is_active(self):
        return self.active

    @property
    def display_name(self):
        return self.name or self.email

    # passwords
    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_token = secrets.token_hex(16)

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    # roles
    @property
    def roles(self):
        return {r.role for r in self.role_rows}

    def has_role(self, *roles):
        mine = self.roles
        return Role.ADMIN in mine or any(r in mine for r in roles)

    def set_roles(self, roles):
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        for role in wanted - {r.role for r in self.role_rows}:
            self.role_rows.append(UserRole(role=role))

    @property
    def is_admin(self):
        return Role.ADMIN in self.roles

    # organisations
    @property
    def organisations(self):
        """The organisations the user answers for: confirmed memberships only."""
        return [m.organisation for m in self.memberships if m.confirmed]

    @property
    def organisation_ids(self):
        return {m.organisation_id for m in self.memberships if m.confirmed}

    @property
    def pending_organisation_ids(self):
        return {m.organisation_id for m in self.memberships if not m.confirmed}

    def membership_for(self, organisation_id):
        return next((m for m in self.memberships if m.organisation_id == organisation_id and m.confirmed), None)


class Organisation(db.Model):
    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300), index=True)
    org_number: Mapped[str | None] = mapped_column(sa.String(11), unique=True)
    legal_form: Mapped[str] = mapped_column(sa.String(30), default="ovrigt")
    sub_region: Mapped[str | None] = mapped_column(sa.String(30))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(500))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Set when a member of the public suggests a new organisation (e.g. at registration).
    needs_review: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation", cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Organisation {self.name}>"

    @property
    def legal_form_label(self):
        return LEGAL_FORMS.get(self.legal_form, self.legal_form)

    @property
    def sub_region_label(self):
        return SUB_REGIONS.get(self.sub_region, self.sub_region or "")


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(db.Model):
    """A personal token for scripts; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @classmethod
    def issue(cls, user, name=""):
        """Create a token and return (token_row, raw_token). The raw token is shown once."""
        raw = "sam_" + secrets.token_urlsafe(32)
        row = cls(user=user, name=name, prefix=raw[:12], token_hash=hash_token(raw))
        return row, raw

    @property
    def active(self):
        return self.revoked_at is None


class LoginThrottle(db.Model):
    """Failed logins for one typed address from one source address.

    Keyed by the address typed (hashed: typos and strangers' addresses are not kept), whether or not it has an
    account, so known and unknown addresses behave alike. Only that source waits; the owner elsewhere does not.
    """

    __tablename__ = "login_throttles"
    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(sa.String(64))
    source: Mapped[str] = mapped_column(sa.String(64))
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow)
    blocked_until: Mapped[datetime | None]
    # When the account's owner was last told of it (one mail per throttle window).
    notified_at: Mapped[datetime | None]

    __table_args__ = (sa.UniqueConstraint("email_hash", "source"),)


class AuditEvent(db.Model):
    """One line of the audit trail (core.audit.record). Append-only: the ORM refuses to change or delete it.

    Holds ids only, never the personal data they point at, so erasing a person leaves the trail intact and
    clean. actor_id is a plain number (no foreign key): deleting an account must not rewrite history.
    """

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str | None] = mapped_column(sa.String(60))
    target_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class AuditTrailError(RuntimeError):
    """Someone tried to change or delete a line of the audit trail."""


@sa.event.listens_for(AuditEvent, "before_update")
@sa.event.listens_for(AuditEvent, "before_delete")
def _audit_rows_are_append_only(mapper, connection, target):
    raise AuditTrailError("audit_events is append-only")


@sa.event.listens_for(sa.orm.Session, "do_orm_execute")
def _no_bulk_changes_to_the_audit_trail(state):
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEvent for m in state.all_mappers):
        raise AuditTrailError("audit_events is append-only")


class OutboxStatus:
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    LABELS = {
        QUEUED: _l("I kö"),
        SENDING: _l("Skickas"),
        SENT: _l("Skickat"),
        FAILED: _l("Misslyckades"),
    }


class OutboxMessage(HasStatus, db.Model):
    """A mail waiting for, or done by, the mail worker: every mail of the app is queued here first."""

    statuses = OutboxStatus

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # One logical mail, one row: queueing the same key again returns the row already there.
    idempotency_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    to_address: Mapped[str] = mapped_column(sa.String(1000))
    subject: Mapped[str] = mapped_column(sa.String(500))
    body: Mapped[str] = mapped_column(sa.Text)
    # [{"filename", "mimetype", "data" (base64)}]: small files only (.ics).
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(20), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Which worker holds a row in "sending", and since when (a crashed worker's rows are taken back later).
    claim_token: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    @property
    def is_failed(self):
        return self.status == OutboxStatus.FAILED

    @property
    def is_sent(self):
        return self.status == OutboxStatus.SENT
