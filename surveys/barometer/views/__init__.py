"""The barometer's pages: the moderator's under /barometrar (bp), the participants' /delta and /<code> (live_bp)."""
from flask import Blueprint
from werkzeug.routing import BaseConverter

from core.access import role_required
from core.models import Role
from surveys.barometer.models import JOIN_CODE_REGEX

bp = Blueprint("barometer", __name__, url_prefix="/barometrar")
live_bp = Blueprint("barometer_live", __name__)
moderator_required = role_required(Role.MODERATOR)


class JoinCodeConverter(BaseConverter):
    """Six letters or digits. The site's own routes are static and always win over this one; a code typed
    in lower case is sent on to its upper-case address by the view."""

    regex = JOIN_CODE_REGEX


from surveys.barometer.views import answering, authoring, results, sessions  # noqa: E402, F401  (registers the routes)
