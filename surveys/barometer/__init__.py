"""Live opinion barometers (åsiktsbarometer): statements, live sessions, answers and results."""
import os

from flask_babel import lazy_gettext as _l

from core.models import Role
from core.registry import (
    add_choice_source,
    add_demo_seeder,
    add_home_section,
    add_nav_item,
    add_panel,
    add_report_section,
)
from surveys.barometer import api, broadcast, live, models, views  # noqa: F401 - models: schema and migrations
from surveys.barometer.demo import seed_demo, seed_report_demo
from surveys.barometer.evaluation import links_for_meeting, summary_for_meeting
from surveys.barometer.evidence import barometer_evidence
from surveys.barometer.reporting import report_section
from surveys.barometer.views.evaluation import manage_evaluation_panel, series_evaluation_panel
from surveys.barometer.views.sessions import manage_meeting_panel, public_meeting_panel

# Limits and live settings an operator may need to raise for a large venue (all phones behind one
# address); read from the environment once, overridable in app.config like any other key.
LIVE_DEFAULTS = {
    # Per participant token, counted in each process (core/ratelimit.py).
    "LIVE_ANSWER_LIMIT": "30 per 10 seconds",
    "LIVE_READ_LIMIT": "120 per minute",
    # Per address, in each process: a ceiling a venue of 10,000 phones behind one address stays under.
    "LIVE_JOIN_LIMIT": "20000 per 5 minutes",
    # Per address, in each process: codes that lead nowhere (guessing).
    "LIVE_CODE_MISS_LIMIT": "300 per minute",
    "LIVE_MAX_PARTICIPANTS": "20000",  # per session: what bounds a join flood
    "LIVE_MAX_STREAMS": "20000",  # per process, under gevent; thread-pool servers refuse streams (phones poll)
    "LIVE_STREAM_SECONDS": "300",
    "LIVE_DIRECT_WRITES": "1",  # under gunicorn's gevent worker the board writes phones' events itself (0: off)
    "LIVE_RECOUNT_SECONDS": "0.25",
    "LIVE_WATCH_SECONDS": "0.1",  # how often each process reads the followed sessions' version
    "LIVE_RESULTS_SECONDS": "2",  # how often shown results are re-read for the phones
    "LIVE_PRESENTER_IDLE_SECONDS": "1",
}


def init_app(app):
    for key, default in LIVE_DEFAULTS.items():
        app.config.setdefault(key, os.environ.get(key, default))
    app.url_map.converters["joincode"] = views.JoinCodeConverter
    live.init_app(app)
    broadcast.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.live_bp)
    app.register_blueprint(api.bp)
    add_nav_item(app, "barometer.index", _l("Barometrar"), roles=(Role.MODERATOR,), order=40)
    add_home_section(app, "surveys/barometer/_home.html", order=40)
    add_demo_seeder(app, seed_demo, order=40)
    # Before the agreements' evidence (90): ended rounds to count.
    add_demo_seeder(app, seed_report_demo, order=45)
    add_panel(app, "meeting.public", public_meeting_panel, order=40)
    add_panel(app, "meeting.manage", manage_meeting_panel, order=40)
    # Evaluation after a meeting (issue 13): dialog shows these panels and asks these two sources.
    add_panel(app, "meeting.manage", manage_evaluation_panel, order=45)
    add_panel(app, "series.stats", series_evaluation_panel, order=45)
    add_choice_source(app, "meeting_evaluation", summary_for_meeting)
    add_choice_source(app, "evaluation_links", links_for_meeting)
    add_choice_source(app, "evidence:barometer", barometer_evidence)  # the agreements' action plan
    add_report_section(app, report_section, order=50)  # the agreements' yearly report
