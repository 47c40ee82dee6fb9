"""The dialog blueprint: public meeting pages and the organisers' pages."""
from flask import Blueprint

bp = Blueprint("dialog", __name__, url_prefix="/moten")

from dialog.views import manage, public  # noqa: E402, F401  (routes register themselves on bp)
