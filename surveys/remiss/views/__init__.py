"""The remiss blueprint: URL rules for the drafting group, the respondents and the public."""
from flask import Blueprint

bp = Blueprint("remiss", __name__, url_prefix="/remisser")

from surveys.remiss.views import answering, compilation, managing, review  # noqa: E402, F401  (registers the routes)
