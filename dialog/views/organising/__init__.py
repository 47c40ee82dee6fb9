"""The organisers' blueprint (endpoints dialog.manage.*, URLs /moten/hantera/…): the role is checked once here."""
from flask import Blueprint

from core.access import role_required
from dialog.access import ORGANISER_ROLES

bp = Blueprint("manage", __name__, url_prefix="/hantera")


@bp.before_request
@role_required(*ORGANISER_ROLES)
def organisers_only():
    """Every page here: logged in (else to the login page) and an organiser or administrator (else 403)."""


from dialog.views.organising import (  # noqa: E402, F401  (routes register themselves on bp)
    agenda,
    checkin,
    documents,
    invitations,
    meetings,
    minutes,
    registrations,
    series,
)
