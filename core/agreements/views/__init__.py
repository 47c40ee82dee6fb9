"""The agreements blueprint: public pages (published agreements) and the administrators' pages."""
from flask import Blueprint

bp = Blueprint("agreements", __name__, url_prefix="/overenskommelser")

from core.agreements.views import managing, public  # noqa: E402, F401  (registers the routes)
