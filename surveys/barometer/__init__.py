"""Live opinion barometers (åsiktsbarometer): statements, live sessions, answers and results."""
import os

from flask_babel import lazy_gettext as _l

from core.models import Role
from core.registry import add_choice_source, add_demo_seeder, add_home_section, add_nav_item, add_panel
from surveys.barometer import api, live, models, views  # noqa: F401 - models: schema and migrations
from surveys.barometer.demo import seed_demo
from surveys.barometer.evidence import barometer_evidence
from surveys.barometer.views.sessions import manage_meeting_panel, public_meeting_panel

# Limits and live settings an operator may need to raise for a large venue (all phones behind one
# address); read from the environment once, overridable in app.config like any other key.
LIVE_DEFAULTS = {
    "LIVE_ANSWER_LIMIT": "30 per 10 seconds",
    "LIVE_JOIN_LIMIT": "300 per minute",
    "LIVE_READ_LIMIT": "120 per minute",
    "LIVE_STREAM_LIMIT": "600 per minute",
    "LIVE_MAX_STREAMS": "24",  # per process; keep it well below gunicorn's --threads
    "LIVE_STREAM_SECONDS": "300",
    "LIVE_RECOUNT_SECONDS": "0.25",
}


def init_app(app):
    for key, default in LIVE_DEFAULTS.items():
        app.config.setdefault(key, os.environ.get(key, default))
    app.url_map.converters["joincode"] = views.JoinCodeConverter
    live.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.live_bp)
    app.register_blueprint(api.bp)
    add_nav_item(app, "barometer.index", _l("Barometrar"), roles=(Role.MODERATOR,), order=40)
    add_home_section(app, "surveys/barometer/_home.html", order=40)
    add_demo_seeder(app, seed_demo, order=40)
    add_panel(app, "meeting.public", public_meeting_panel, order=40)
    add_panel(app, "meeting.manage", manage_meeting_panel, order=40)
    add_choice_source(app, "evidence:barometer", barometer_evidence)  # the agreements' action plan
