"""Organisation registry pages."""
import sqlalchemy as sa
from flask import Blueprint, render_template

from core.access import role_required
from core.extensions import db
from core.models import Organisation, Role

bp = Blueprint("organisations", __name__, url_prefix="/organisationer")


@bp.route("/")
@role_required(Role.ADMIN, Role.MODERATOR, Role.SKRIVARGRUPP)
def index():
    rows = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render_template("core/organisations/index.html", organisations=rows)
