"""One lookup helper per agreement resource: drafts only for administrators, the rest public once published."""
from datetime import date

import sqlalchemy as sa
from flask import abort

from core import access
from core.agreements.models import Agreement, GroupMember, Principle, StandingGroup, YearlyReport
from core.extensions import db


def can_manage(user):
    """Administrators manage agreements (the region's civil servants are given the admin role)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_admin


def can_view(agreement, user):
    return agreement.is_published or can_manage(user)


def get_agreement_or_404(agreement_id, for_user, manage=False):
    """The agreement if for_user may see it (manage=True: change it). Drafts are 404 for everyone else."""
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None or not can_view(agreement, for_user):
        abort(404)
    if manage and not can_manage(for_user):
        abort(403)
    return agreement


def get_group_or_404(group_id, for_user, manage=False):
    group = db.get_or_404(StandingGroup, group_id)
    get_agreement_or_404(group.agreement_id, for_user, manage=manage)
    return group


def get_principle_or_404(agreement, principle_id):
    return access.get_child_or_404(Principle, principle_id, agreement, "agreement_id")


def _agreement_id(row):
    """The agreement a row belongs to: its own agreement_id, or its group's or principle's."""
    owner = getattr(row, "agreement_id", None)
    if owner is None and hasattr(row, "group"):
        owner = row.group.agreement_id
    if owner is None and hasattr(row, "principle"):
        owner = row.principle.agreement_id
    return owner


def get_child_or_404(model, row_id, agreement):
    """A row that belongs to agreement (through agreement_id, or its group's or principle's agreement)."""
    return access.get_child_or_404(model, row_id, agreement, _agreement_id)


def can_edit_report(agreement, user, today=None):
    """Administrators, and the members with an account of the agreement's groups, write the yearly report."""
    if can_manage(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    today = today or date.today()
    members = db.session.scalars(sa.select(GroupMember).join(StandingGroup).where(
        StandingGroup.agreement_id == agreement.id, GroupMember.user_id == user.id))
    return any(m.serves_on(today) for m in members)


def get_report_or_404(agreement_id, year, for_user, edit=False):
    """(agreement, report or None): a report is public once published; until then only its writers see it."""
    agreement = get_agreement_or_404(agreement_id, for_user)
    report = db.session.scalar(sa.select(YearlyReport).where(YearlyReport.agreement_id == agreement.id,
                                                             YearlyReport.year == year))
    editor = can_edit_report(agreement, for_user)
    if not editor and (edit or report is None or not report.is_published):
        abort(404 if report is None or not report.is_published else 403)
    return agreement, report
