"""Standing groups: members on two sides, the meeting target for the year, and whose turn it is to call."""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from core.agreements import signing
from core.agreements.managing import AgreementErrors
from core.agreements.models import AgreementError, GroupConvener, GroupKind, GroupMember, Side, StandingGroup
from core.extensions import db
from core.models import Organisation, utcnow
from core.timeutil import local_to_utc, utc_to_local

# Core never imports dialog: the group reads dialog's meetings table by name (dialog's Meeting.group_id).
MEETINGS = sa.table("meetings", sa.column("id", sa.Integer), sa.column("title", sa.String),
                    sa.column("starts_at", sa.DateTime), sa.column("status", sa.String),
                    sa.column("group_id", sa.Integer))
CANCELLED = "cancelled"


def create_group(agreement, kind, name, description="", equal_sides_required=False, meetings_min_per_year=None,
                 meetings_max_per_year=None, meetings_min_spring=None, meetings_min_autumn=None):
    errors = {}
    if kind not in GroupKind.ALL:
        errors["kind"] = _l("Välj en sorts grupp.")
    name = (name or "").strip()
    if not name:
        errors["name"] = _l("Skriv gruppens namn.")
    for key, value in (("meetings_min_per_year", meetings_min_per_year),
                       ("meetings_max_per_year", meetings_max_per_year),
                       ("meetings_min_spring", meetings_min_spring), ("meetings_min_autumn", meetings_min_autumn)):
        if value is not None and (value < 0 or value > 366):
            errors[key] = _l("Ange ett antal möten mellan 0 och 366.")
    if (meetings_min_per_year is not None and meetings_max_per_year is not None
            and meetings_max_per_year < meetings_min_per_year):
        errors["meetings_max_per_year"] = _l("Högsta antalet kan inte vara mindre än lägsta.")
    if errors:
        raise AgreementErrors(errors)
    group = StandingGroup(agreement=agreement, kind=kind, name=name[:200], description=(description or "").strip(),
                          equal_sides_required=bool(equal_sides_required),
                          meetings_min_per_year=meetings_min_per_year, meetings_max_per_year=meetings_max_per_year,
                          meetings_min_spring=meetings_min_spring, meetings_min_autumn=meetings_min_autumn)
    db.session.add(group)
    db.session.commit()
    return group


def add_member(group, side, term_start, term_end=None, user=None, name="", organisation=None, role=""):
    """Add a member for a term. Where the agreement says so, the social economy's representatives must come
    from organisations that have signed it (and not left it) on the first day of the term."""
    errors = {}
    if side not in Side.ALL:
        errors["side"] = _l("Välj regionen eller den sociala ekonomin.")
    name = (name or "").strip()
    if user is None and not name:
        errors["name"] = _l("Välj en användare eller skriv medlemmens namn.")
    if not isinstance(term_start, date):
        errors["term_start"] = _l("Ange mandatperiodens första dag (ÅÅÅÅ-MM-DD).")
    elif term_end is not None and term_end < term_start:
        errors["term_end"] = _l("Mandatperioden kan inte sluta innan den börjar.")
    agreement = group.agreement
    if (not errors and side == Side.CIVIL_SOCIETY and agreement.representatives_among_signatories):
        if organisation is None:
            errors["organisation_id"] = _l("Den sociala ekonomins representanter väljs bland dem som skrivit under: "
                                           "välj organisationen.")
        elif not signing.is_signatory(agreement, organisation.id, term_start):
            errors["organisation_id"] = _l("%(name)s har inte skrivit under överenskommelsen. Representanter väljs "
                                           "bland dem som skrivit under.", name=organisation.name)
    if errors:
        raise AgreementErrors(errors)
    member = GroupMember(group=group, side=side, term_start=term_start, term_end=term_end, user=user,
                         name=name[:200], organisation=organisation, role=(role or "").strip()[:100])
    db.session.add(member)
    db.session.commit()
    return member


def end_term(member, last_day):
    if not isinstance(last_day, date) or last_day < member.term_start:
        raise AgreementError(_l("Mandatperioden kan inte sluta innan den börjar."), field="term_end")
    member.term_end = last_day
    db.session.commit()


def remove_member(member):
    db.session.delete(member)
    db.session.commit()


def current_members(group, on=None):
    on = on or date.today()
    return [m for m in group.members if m.serves_on(on)]


@dataclass
class SideBalance:
    region: int
    civil_society: int
    required: bool

    @property
    def equal(self):
        return self.region == self.civil_society

    @property
    def ok(self):
        return self.equal or not self.required


def side_balance(group, on=None):
    members = current_members(group, on)
    return SideBalance(region=sum(1 for m in members if m.side == Side.REGION),
                       civil_society=sum(1 for m in members if m.side == Side.CIVIL_SOCIETY),
                       required=group.equal_sides_required)


def set_conveners(group, organisation_ids):
    """The rota: parties call the meetings in this order, one meeting each, then from the top again."""
    seen = []
    for org_id in organisation_ids:
        if org_id not in seen:
            seen.append(org_id)
    found = {o.id for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(seen)))}
    if set(seen) - found:
        raise AgreementError(_l("En organisation i turordningen finns inte i registret."), field="conveners")
    group.conveners = [GroupConvener(organisation_id=org_id, position=i) for i, org_id in enumerate(seen)]
    db.session.commit()


def _year_bounds(year):
    return local_to_utc(datetime(year, 1, 1)), local_to_utc(datetime(year + 1, 1, 1))


def meetings(group, year=None):
    """The group's meetings (not cancelled), oldest first: rows with id, title, starts_at (naive UTC)."""
    stmt = (sa.select(MEETINGS.c.id, MEETINGS.c.title, MEETINGS.c.starts_at, MEETINGS.c.status)
            .where(MEETINGS.c.group_id == group.id, MEETINGS.c.status != CANCELLED)
            .order_by(MEETINGS.c.starts_at))
    if year is not None:
        start, end = _year_bounds(year)
        stmt = stmt.where(MEETINGS.c.starts_at >= start, MEETINGS.c.starts_at < end)
    return db.session.execute(stmt).all()


@dataclass
class YearTarget:
    """This year's meetings of a group against its target; spring is January–June, autumn July–December."""

    year: int
    held: int
    planned: int
    spring: int
    autumn: int
    minimum: int | None
    maximum: int | None
    min_spring: int | None
    min_autumn: int | None

    @property
    def total(self):
        return self.held + self.planned

    @property
    def missing(self):
        """How many more meetings must be planned to reach the minimum (and each half-year's minimum)."""
        needs = [(self.minimum or 0) - self.total, (self.min_spring or 0) - self.spring,
                 (self.min_autumn or 0) - self.autumn]
        half_years = max(0, needs[1]) + max(0, needs[2])
        return max(0, needs[0], half_years)

    @property
    def too_many(self):
        return self.maximum is not None and self.total > self.maximum

    @property
    def on_track(self):
        return self.missing == 0 and not self.too_many


def year_target(group, year=None, now=None):
    now = now or utcnow()
    year = year or utc_to_local(now).year
    rows = meetings(group, year)
    held = sum(1 for r in rows if r.starts_at <= now)
    spring = sum(1 for r in rows if utc_to_local(r.starts_at).month <= 6)
    return YearTarget(year=year, held=held, planned=len(rows) - held, spring=spring, autumn=len(rows) - spring,
                      minimum=group.meetings_min_per_year, maximum=group.meetings_max_per_year,
                      min_spring=group.meetings_min_spring, min_autumn=group.meetings_min_autumn)


def next_convener(group, now=None):
    """The organisation whose turn it is to call the next meeting: the rota advances one place per meeting
    held, so after the last in the rota the first calls again. None without a rota."""
    if not group.conveners:
        return None
    now = now or utcnow()
    held = db.session.scalar(sa.select(sa.func.count()).select_from(MEETINGS).where(
        MEETINGS.c.group_id == group.id, MEETINGS.c.status != CANCELLED, MEETINGS.c.starts_at <= now))
    return group.conveners[held % len(group.conveners)].organisation


def group_choices():
    """(id, "group (agreement)") of every standing group, for an area's form (a meeting belongs to a group)."""
    rows = db.session.scalars(sa.select(StandingGroup).order_by(StandingGroup.name))
    return [(g.id, f"{g.name} ({g.agreement.name})") for g in rows]
