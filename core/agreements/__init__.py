"""Agreements between the region and the social economy, shared by every area: parties, signatories,
standing groups and the action plan."""
from flask_babel import lazy_gettext as _l

from core.agreements import models  # noqa: F401  (the schema and migrations see the tables)
from core.agreements.demo import seed_demo, seed_evidence
from core.agreements.merging import merge_organisations
from core.agreements.panels import meeting_group_panel
from core.agreements.views import bp
from core.registry import add_demo_seeder, add_nav_item, add_organisation_merge_hook, add_panel


def init_app(app):
    app.register_blueprint(bp)
    add_nav_item(app, "agreements.index", _l("Överenskommelser"), roles=None, order=60)
    # After the areas' organisations and meetings (dialog 20, remiss 30, barometer 40).
    add_demo_seeder(app, seed_demo, order=60)
    add_demo_seeder(app, seed_evidence, order=90)
    add_panel(app, "meeting.public", meeting_group_panel, order=20)
    add_organisation_merge_hook(app, merge_organisations)
