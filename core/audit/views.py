"""The audit trail for administrators: read, filter and export."""
from flask import Blueprint, render_template, request

from core import audit
from core.access import role_required
from core.audit.forms import AuditFilterForm
from core.exports import csv_response
from core.extensions import db
from core.models import Role, utcnow
from core.organisations.services import paginate
from core.timeutil import utc_to_local

bp = Blueprint("audit", __name__, url_prefix="/admin/logg")

FILTER_KEYS = ("action", "actor", "date_from", "date_to")
PAGE_SIZE = 50


def _filters():
    form = AuditFilterForm(request.args)
    form.validate()
    return form, form.filters()


@bp.route("/")
@role_required(Role.ADMIN)
def index():
    form, filters = _filters()
    result = paginate(audit.search_statement(**filters), page=request.args.get("sida", 1, type=int),
                      per_page=PAGE_SIZE)
    args = {k: v for k, v in request.args.items() if k in FILTER_KEYS and v}
    return render_template("core/audit/index.html", form=form, result=result, args=args,
                           actors=audit.actors(result.items), label=audit.label,
                           format_details=audit.format_details)


@bp.route("/export.csv")
@role_required(Role.ADMIN)
def export():
    _form, filters = _filters()
    events = db.session.scalars(audit.search_statement(**filters)).all()
    header, rows = audit.export_table(events)
    stamp = utc_to_local(utcnow()).strftime("%Y-%m-%d")
    return csv_response(f"logg-{stamp}.csv", header, rows)
