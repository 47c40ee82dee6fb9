"""One lookup helper per agreement resource: drafts only for administrators, the rest public once published."""
from flask import abort

from core.agreements.models import Agreement, Principle, StandingGroup
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
    group = db.session.get(StandingGroup, group_id)
    if group is None:
        abort(404)
    get_agreement_or_404(group.agreement_id, for_user, manage=manage)
    return group


def get_principle_or_404(agreement, principle_id):
    principle = db.session.get(Principle, principle_id)
    if principle is None or principle.agreement_id != agreement.id:
        abort(404)
    return principle


def get_child_or_404(model, row_id, agreement):
    """A row that belongs to agreement (through agreement_id, or its group's or principle's agreement)."""
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    owner = getattr(row, "agreement_id", None)
    if owner is None and hasattr(row, "group"):
        owner = row.group.agreement_id
    if owner is None and hasattr(row, "principle"):
        owner = row.principle.agreement_id
    if owner != agreement.id:
        abort(404)
    return row
