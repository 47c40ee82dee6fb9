"""Deadlines computed from the agreement and its groups (never typed), and the daily reminder mail about them."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError

from core.agreements import groups
from core.agreements.models import Agreement, AgreementStatus, DeadlineReminder, StandingGroup
from core.extensions import db
from core.mail import send_mail
from core.models import Role, User, UserRole


class DeadlineKind:
    REVISE_ACTION_PLAN = "revise_action_plan"
    REVIEW_AGREEMENT = "review_agreement"
    ANNUAL_REPORT = "annual_report"
    MISSING_MEETINGS = "missing_meetings"


@dataclass
class Deadline:
    kind: str
    due: date
    title: str
    agreement: Agreement
    group: StandingGroup | None = None

    @property
    def key(self):
        """Stable for one deadline, so a reminder is sent once per deadline and lead time."""
        owner = f"g{self.group.id}" if self.group is not None else f"a{self.agreement.id}"
        return f"{owner}:{self.kind}:{self.due.isoformat()}"

    def days_left(self, today):
        return (self.due - today).days


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def next_every(start, every_years, today):
    """The first date on or after today that falls every `every_years` years from `start` (the start excluded)."""
    if start is None or not every_years:
        return None
    k = max(1, (today.year - start.year) // every_years)
    due = _add_years(start, k * every_years)
    while due < today:
        k += 1
        due = _add_years(start, k * every_years)
    return due


def next_yearly(month, day, today):
    if not month or not day:
        return None
    try:
        due = date(today.year, month, day)
        if due < today:
            due = date(today.year + 1, month, day)
    except ValueError:
        return None
    return due


def for_agreement(agreement, today=None):
    today = today or date.today()
    found = []
    due = next_every(agreement.period_start, agreement.revise_action_plan_every_years, today)
    if due:
        found.append(Deadline(DeadlineKind.REVISE_ACTION_PLAN, due, _("Handlingsplanen revideras"), agreement))
    due = next_every(agreement.period_start, agreement.review_agreement_every_years, today)
    if due:
        found.append(Deadline(DeadlineKind.REVIEW_AGREEMENT, due, _("Överenskommelsen ses över"), agreement))
    due = next_yearly(agreement.annual_report_due_month, agreement.annual_report_due_day, today)
    if due:
        found.append(Deadline(DeadlineKind.ANNUAL_REPORT, due,
                              _("Årsberättelsen för %(year)s lämnas", year=due.year - 1), agreement))
    return found


def for_group(group, today=None, now=None):
    """Missing meetings: in spring, by 30 June when spring lacks its meetings; otherwise by 31 December."""
    today = today or date.today()
    target = groups.year_target(group, today.year, now=now)
    if target.on_track or target.missing == 0:
        return []
    spring_short = (target.min_spring or 0) - target.spring
    if today.month <= 6 and spring_short > 0:
        due, missing = date(today.year, 6, 30), spring_short
    else:
        due, missing = date(today.year, 12, 31), target.missing
    return [Deadline(DeadlineKind.MISSING_MEETINGS, due,
                     ngettext("%(group)s: %(num)s möte saknas", "%(group)s: %(num)s möten saknas", missing, group=group.name), group.agreement, group)]


def for_group_page(group, today=None, now=None):
    """What the group's page lists: its own missing meetings and its agreement's deadlines, soonest first."""
    return sorted(for_group(group, today, now) + for_agreement(group.agreement, today), key=lambda d: d.due)


def upcoming(agreements, today=None, now=None):
    """Every deadline of the given agreements and their groups, soonest first (the administrator's list)."""
    found = []
    for agreement in agreements:
        found += for_agreement(agreement, today)
        for group in agreement.groups:
            found += for_group(group, today, now)
    return sorted(found, key=lambda d: (d.due, d.title))


def _recipients(deadline, today):
    admins = db.session.scalars(sa.select(User.email).join(UserRole).where(UserRole.role == Role.ADMIN)).all()
    members = []
    if deadline.group is not None:
        members = [m.user.email for m in groups.current_members(deadline.group, today) if m.user is not None]
    return sorted({e for e in admins + members if e})


def send_reminders(today=None, lead_days=None):
    """Mail each deadline that is `lead` days away or nearer, once per deadline and lead time; returns how many
    mails went out. Running it twice the same day (or the next) sends nothing new."""
    today = today or date.today()
    leads = sorted(lead_days or current_app.config.get("AGREEMENT_REMINDER_DAYS", (30, 7)), reverse=True)
    agreements = db.session.scalars(sa.select(Agreement).where(Agreement.status == AgreementStatus.PUBLISHED))
    sent = 0
    for deadline in upcoming(agreements, today):
        left = deadline.days_left(today)
        # Only the nearest lead time already passed: a deadline found late is not reminded of three times at once.
        due_leads = [lead for lead in leads if left <= lead]
        if not due_leads:
            continue
        lead = min(due_leads)
        if db.session.scalar(sa.select(DeadlineReminder.id).where(
                DeadlineReminder.deadline_key == deadline.key, DeadlineReminder.lead_days == lead)):
            continue
        to = _recipients(deadline, today)
        row = DeadlineReminder(deadline_key=deadline.key, lead_days=lead, recipients=len(to))
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:  # another run took it first
            db.session.rollback()
            continue
        if to:
            body = _("%(title)s senast %(due)s (om %(days)s dagar).\n\nÖverenskommelse: %(agreement)s",
                     title=deadline.title, due=deadline.due.isoformat(), days=left, agreement=deadline.agreement.name)
            send_mail(to, _("Påminnelse: %(title)s", title=deadline.title), body)
            sent += 1
        db.session.commit()
    return sent
