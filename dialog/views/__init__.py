"""The dialog blueprint: public meeting pages, with the organisers' blueprint nested under /moten/hantera."""
from flask import Blueprint

bp = Blueprint("dialog", __name__, url_prefix="/moten")

from dialog.views import invited, public  # noqa: E402, F401  (routes register themselves on bp)
from dialog.views.organising import bp as organising_bp  # noqa: E402

bp.register_blueprint(organising_bp)
