"""Remiss consultations: the draft, invited bodies, answers, the drafting group's review and compilation."""
import click
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.mail import command_links
from core.registry import (
    add_choice_source,
    add_demo_seeder,
    add_home_section,
    add_nav_item,
    add_organisation_merge_hook,
    add_report_section,
)
from core.timeutil import utc_to_local_naive
from surveys.remiss import (
    answering,
    compilation,
    managing,
    models,  # noqa: F401  (the schema and migrations see the tables)
)
from surveys.remiss.demo import seed_demo, seed_report_demo
from surveys.remiss.evidence import remiss_evidence
from surveys.remiss.reporting import report_section
from surveys.remiss.views import bp


def open_remisses_for_user():
    """For the home page: open remisses the logged-in user's organisations may answer."""
    return answering.open_remisses_for(current_user)


def published_remiss_count():
    """For the home page: how many remisses have published answers."""
    return compilation.published_remiss_count()


@click.command("remiss-reminders")
def remiss_reminders():
    """Skicka automatiska påminnelser för remisser där det är inställt (en gång per dag)."""
    with command_links():
        done = managing.send_due_reminders()
    for remiss, sent in done:
        click.echo(f"{remiss.title}: {sent} påminnelser")
    if not done:
        click.echo("Inga påminnelser att skicka i dag.")


def _input_datetime(value):
    """A naive-UTC timestamp as the value of a datetime-local field, in Stockholm time."""
    return utc_to_local_naive(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def init_app(app):
    app.register_blueprint(bp)
    add_nav_item(app, "remiss.index", _l("Remisser"), roles=(), order=30)
    add_home_section(app, "surveys/remiss/_home.html", order=30)
    add_demo_seeder(app, seed_demo, order=30)
    # Before the agreements' evidence (90): a published remiss to count.
    add_demo_seeder(app, seed_report_demo, order=35)
    app.add_template_global(open_remisses_for_user, "remiss_home_items")
    app.add_template_global(published_remiss_count, "remiss_published_count")
    app.add_template_filter(_input_datetime, "remiss_input")
    app.cli.add_command(remiss_reminders)
    add_organisation_merge_hook(app, managing.merge_organisations)
    add_choice_source(app, "evidence:remiss", remiss_evidence)  # the agreements' action plan
    add_report_section(app, report_section, order=40)  # the agreements' yearly report
