"""Agreements between the region and the social economy: parties, signatories, standing groups, action plan."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.errors import DomainError
from core.extensions import db
from core.models import HasStatus, Organisation, Publishable, User, utcnow


class AgreementError(DomainError):
    """A rule of an agreement refused what was asked; `field` names the form field it belongs to."""

    code = "agreement_invalid"

    def __init__(self, message=None, *, field=None, **kwargs):
        super().__init__(message, **kwargs)
        self.field = field


class AgreementKind:
    OVERENSKOMMELSE = "overenskommelse"
    IOP = "iop"
    ALL = (OVERENSKOMMELSE, IOP)
    LABELS = {OVERENSKOMMELSE: _l("Överenskommelse"), IOP: _l("Idéburet offentligt partnerskap (IOP)")}


class AgreementStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    LABELS = {DRAFT: _l("Utkast"), PUBLISHED: _l("Publicerad")}


class Side:
    """Which side of the agreement a party or a group member stands on."""

    REGION = "region"
    CIVIL_SOCIETY = "civil_society"
    ALL = (REGION, CIVIL_SOCIETY)
    LABELS = {REGION: _l("Regionen"), CIVIL_SOCIETY: _l("Den sociala ekonomin")}


class Agreement(Publishable, db.Model):
    __tablename__ = "agreements"
    statuses = AgreementStatus
    refusal = AgreementError
    already_published = _l("Överenskommelsen är redan publicerad.")
    not_published = _l("Överenskommelsen är inte publicerad.")

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), default=AgreementKind.OVERENSKOMMELSE)
    title: Mapped[str] = mapped_column(sa.String(500))
    short_name: Mapped[str] = mapped_column(sa.String(100), default="")
    diary_number: Mapped[str] = mapped_column(sa.String(50), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    period_start: Mapped[date | None]
    # None: valid until further notice (the regional agreements have no end date).
    period_end: Mapped[date | None]
    notice_months: Mapped[int | None]
    notice_text: Mapped[str] = mapped_column(sa.Text, default="")
    # "The social economy chooses its representatives among the signatories" (the VGR agreement).
    representatives_among_signatories: Mapped[bool] = mapped_column(default=False)
    # Deadlines for the follow-up (req 5): None when the agreement sets none.
    revise_action_plan_every_years: Mapped[int | None]
    review_agreement_every_years: Mapped[int | None]
    annual_report_due_month: Mapped[int | None]
    annual_report_due_day: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(20), default=AgreementStatus.DRAFT, index=True)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parties: Mapped[list["AgreementParty"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.position")
    contributions: Mapped[list["Contribution"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Contribution.period_start")
    documents: Mapped[list["AgreementDocument"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementDocument.uploaded_at")
    signatories: Mapped[list["Signatory"]] = relationship(back_populates="agreement", cascade="all, delete-orphan")
    groups: Mapped[list["StandingGroup"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="StandingGroup.name")
    principles: Mapped[list["Principle"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="Principle.position")
    levels: Mapped[list["ParticipationLevel"]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="ParticipationLevel.position")

    def __repr__(self):
        return f"<Agreement {self.title[:40]}>"

    @property
    def is_iop(self):
        return self.kind == AgreementKind.IOP

    @property
    def kind_label(self):
        return AgreementKind.LABELS.get(self.kind, self.kind)

    @property
    def name(self):
        return self.short_name or self.title

    def check_publishable(self):
        if not self.title.strip() or self.period_start is None:
            raise AgreementError(_l("Ange titel och startdatum innan överenskommelsen publiceras."))


class AgreementParty(db.Model):
    """An organisation from the registry that is a party to the agreement (the region is one too)."""

    __tablename__ = "agreement_parties"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(sa.String(20), default=Side.CIVIL_SOCIETY)
    abbreviation: Mapped[str] = mapped_column(sa.String(20), default="")
    # e.g. "genom kulturnämnden"
    acting_through: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    position: Mapped[int] = mapped_column(default=0)

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()

    @property
    def side_label(self):
        return Side.LABELS.get(self.side, self.side)

    @property
    def label(self):
        return self.abbreviation or self.organisation.name


class Contribution(db.Model):
    """What a party contributes for a period: an amount with a payment rhythm, or work and competence."""

    __tablename__ = "agreement_contributions"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_parties.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    amount_sek: Mapped[int | None]
    payment_rhythm: Mapped[str] = mapped_column(sa.String(100), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")

    agreement: Mapped[Agreement] = relationship(back_populates="contributions")
    party: Mapped[AgreementParty] = relationship()


class AgreementDocument(db.Model):
    """A PDF of the agreement (the decision, the signed text, the action plan), stored under instance/."""

    __tablename__ = "agreement_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    filename: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column(default=0)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="documents")


class Signatory(db.Model):
    """An organisation that signed the agreement; withdrawn_on set when it left it."""

    __tablename__ = "agreement_signatories"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "organisation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    signed_on: Mapped[date]
    signatory_name: Mapped[str] = mapped_column(sa.String(200))
    signatory_title: Mapped[str] = mapped_column(sa.String(200), default="")
    withdrawn_on: Mapped[date | None]

    agreement: Mapped[Agreement] = relationship(back_populates="signatories")
    organisation: Mapped[Organisation] = relationship()

    def is_active_on(self, day):
        return self.signed_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    @property
    def withdrawn(self):
        return self.withdrawn_on is not None


class GroupKind:
    SAMVERKANSGRUPP = "samverkansgrupp"
    STYRGRUPP = "styrgrupp"
    BEREDNING = "beredning"
    ARBETSGRUPP = "arbetsgrupp"
    SKRIVARGRUPP = "skrivargrupp"
    ALL = (SAMVERKANSGRUPP, STYRGRUPP, BEREDNING, ARBETSGRUPP, SKRIVARGRUPP)
    LABELS = {
        SAMVERKANSGRUPP: _l("Samverkansgrupp"),
        STYRGRUPP: _l("Styrgrupp"),
        BEREDNING: _l("Beredning"),
        ARBETSGRUPP: _l("Arbetsgrupp"),
        SKRIVARGRUPP: _l("Skrivargrupp"),
    }


class StandingGroup(db.Model):
    """A group that follows the agreement: its members, meeting target and convener rota."""

    __tablename__ = "agreement_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30), default=GroupKind.SAMVERKANSGRUPP)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    equal_sides_required: Mapped[bool] = mapped_column(default=False)
    meetings_min_per_year: Mapped[int | None]
    meetings_max_per_year: Mapped[int | None]
    meetings_min_spring: Mapped[int | None]
    meetings_min_autumn: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="groups")
    members: Mapped[list["GroupMember"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.id")
    conveners: Mapped[list["GroupConvener"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupConvener.position")

    @property
    def kind_label(self):
        return GroupKind.LABELS.get(self.kind, self.kind)


class GroupMember(db.Model):
    """A member for a term: a user of Samråd, or a name with an organisation."""

    __tablename__ = "agreement_group_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    side: Mapped[str] = mapped_column(sa.String(20), default=Side.CIVIL_SOCIETY)
    role: Mapped[str] = mapped_column(sa.String(100), default="")
    term_start: Mapped[date]
    term_end: Mapped[date | None]

    group: Mapped[StandingGroup] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def display_name(self):
        return self.name or (self.user.display_name if self.user is not None else "")

    @property
    def side_label(self):
        return Side.LABELS.get(self.side, self.side)

    def serves_on(self, day):
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class GroupConvener(db.Model):
    """One place in the rota of parties that call the group's meetings, in turn."""

    __tablename__ = "agreement_group_conveners"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_groups.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    group: Mapped[StandingGroup] = relationship(back_populates="conveners")
    organisation: Mapped[Organisation] = relationship()


# --- the action plan: principles and levels are data, so a region can add its own ---------------------------

class MeasureStatus:
    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"
    ALL = (PLANNED, ONGOING, DONE)
    LABELS = {PLANNED: _l("Planerad"), ONGOING: _l("Pågår"), DONE: _l("Klar")}


class IndicatorKind:
    YES_NO = "yes_no"
    VALUE = "value"
    LABELS = {YES_NO: _l("Ja/nej"), VALUE: _l("Värde")}


class Principle(db.Model):
    __tablename__ = "agreement_principles"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    responsibilities: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    agreement: Mapped[Agreement] = relationship(back_populates="principles")
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="principle", cascade="all, delete-orphan", order_by="Measure.position")
    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="principle", cascade="all, delete-orphan", order_by="Indicator.position")


class ParticipationLevel(db.Model):
    """A level of participation (Information, Samråd, Dialog, Partnerskap in the Council of Europe's code)."""

    __tablename__ = "agreement_levels"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    agreement: Mapped[Agreement] = relationship(back_populates="levels")


class Measure(HasStatus, db.Model):
    """An åtgärd of a principle, with who is responsible, when it is due and how far it has come."""

    statuses = MeasureStatus

    __tablename__ = "agreement_measures"
    id: Mapped[int] = mapped_column(primary_key=True)
    principle_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_principles.id", ondelete="CASCADE"),
                                              index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    responsible: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20), default=MeasureStatus.PLANNED)
    done_on: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)

    principle: Mapped[Principle] = relationship(back_populates="measures")

    def is_late(self, today):
        return self.status != MeasureStatus.DONE and self.due_on is not None and self.due_on < today


class Indicator(db.Model):
    """An indicator for one principle at one level, followed up with a yearly value or a yes/no."""

    __tablename__ = "agreement_indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    principle_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_principles.id", ondelete="CASCADE"),
                                              index=True)
    level_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_levels.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default=IndicatorKind.YES_NO)
    # For a value indicator: the value that counts as reached.
    target: Mapped[float | None]
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    position: Mapped[int] = mapped_column(default=0)

    principle: Mapped[Principle] = relationship(back_populates="indicators")
    level: Mapped[ParticipationLevel] = relationship()
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorValue.year")

    def value_for(self, year):
        return next((v for v in self.values if v.year == year), None)


class IndicatorValue(db.Model):
    __tablename__ = "agreement_indicator_values"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_indicators.id", ondelete="CASCADE"),
                                              index=True)
    year: Mapped[int]
    value: Mapped[float | None]
    met: Mapped[bool | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")

    @property
    def reached(self):
        """True/False when known: a yes/no as given, a value against the indicator's target (any value > 0
        without one)."""
        if self.indicator.kind == IndicatorKind.YES_NO:
            return self.met
        if self.value is None:
            return None
        target = self.indicator.target
        return self.value >= target if target is not None else self.value > 0


class EvidenceKind:
    MEETING = "meeting"
    REMISS = "remiss"
    BAROMETER = "barometer"
    OTHER = "other"
    LABELS = {MEETING: _l("Möte"), REMISS: _l("Remiss"), BAROMETER: _l("Åsiktsbarometer"), OTHER: _l("Annat")}


class Evidence(db.Model):
    """A meeting, remiss or barometer that counts for one cell (principle × level) of the action plan in a year.

    kind + ref_id name the thing in its area; label and url are copied when it is linked, so the action plan
    never has to import an area to show it.
    """

    __tablename__ = "agreement_evidence"
    __table_args__ = (sa.UniqueConstraint("principle_id", "level_id", "year", "kind", "ref_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    principle_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_principles.id", ondelete="CASCADE"),
                                              index=True)
    level_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_levels.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(sa.String(20))
    ref_id: Mapped[int | None]
    label: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(500), default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    principle: Mapped[Principle] = relationship()
    level: Mapped[ParticipationLevel] = relationship()

    @property
    def kind_label(self):
        return EvidenceKind.LABELS.get(self.kind, self.kind)


# --- deadlines and the yearly report ----------------------------------------------------------------------------

class DeadlineReminder(db.Model):
    """A reminder mailed once per deadline and lead time, so the daily command can run again without repeating."""

    __tablename__ = "agreement_deadline_reminders"
    __table_args__ = (sa.UniqueConstraint("deadline_key", "lead_days"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_key: Mapped[str] = mapped_column(sa.String(200))
    lead_days: Mapped[int]
    recipients: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportStatus:
    DRAFT = "draft"
    PUBLISHED = "published"
    LABELS = {DRAFT: _l("Utkast"), PUBLISHED: _l("Publicerad")}


class YearlyReport(Publishable, db.Model):
    """The yearly report of an agreement: the figures are computed when shown; only the text around them is stored."""

    __tablename__ = "agreement_reports"
    __table_args__ = (sa.UniqueConstraint("agreement_id", "year"),)
    statuses = ReportStatus
    refusal = AgreementError
    already_published = _l("Årsberättelsen är redan publicerad.")
    not_published = _l("Årsberättelsen är inte publicerad.")

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(sa.ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(20), default=ReportStatus.DRAFT)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[Agreement] = relationship()
    texts: Mapped[list["ReportText"]] = relationship(back_populates="report", cascade="all, delete-orphan")

    def text_for(self, section_key):
        return next((t.text for t in self.texts if t.section_key == section_key), "")


class ReportText(db.Model):
    """The group's own words around one section's figures."""

    __tablename__ = "agreement_report_texts"
    __table_args__ = (sa.UniqueConstraint("report_id", "section_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("agreement_reports.id", ondelete="CASCADE"), index=True)
    section_key: Mapped[str] = mapped_column(sa.String(50))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    report: Mapped[YearlyReport] = relationship(back_populates="texts")
