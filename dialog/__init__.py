"""Dialogue meetings: planning, registration, check-in, minutes and follow-up."""
import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l

from core.mail import command_links
from core.registry import (
    add_choice_source,
    add_demo_seeder,
    add_home_section,
    add_nav_item,
    add_organisation_merge_hook,
    add_report_section,
)
from dialog.demo import seed_demo
from dialog.evidence import meeting_evidence, seed_group_meetings, seed_group_registrations
from dialog.invitations import merge_organisations as merge_invitations
from dialog.meetings import meeting_choices, merge_organisations, upcoming_meetings
from dialog.privacy import anonymise_older_than
from dialog.reminders import queue_due_reminders
from dialog.reporting import report_section
from dialog.views import bp


def init_app(app):
    """Register the dialog blueprint, its navigation, demo data and merge hooks."""
    app.register_blueprint(bp)
    # A registration's personal link stops working this many days after the meeting ended.
    app.config.setdefault("DIALOG_REGISTRATION_LINK_DAYS", 30)
    add_nav_item(app, "dialog.index", _l("Möten"), roles=None, order=20)
    add_home_section(app, "dialog/_home.html", order=20)
    add_demo_seeder(app, seed_demo, order=20)
    # The agreements' action plan counts meetings as evidence; the groups' demo meetings follow their seed (60).
    add_choice_source(app, "evidence:dialog", meeting_evidence)
    add_demo_seeder(app, seed_group_meetings, order=70)
    add_demo_seeder(app, seed_group_registrations, order=75)  # the yearly report's organisations reached
    add_organisation_merge_hook(app, merge_organisations)
    add_organisation_merge_hook(app, merge_invitations)
    add_choice_source(app, "meetings", meeting_choices)
    add_report_section(app, report_section, order=30)
    app.cli.add_command(anonymise_command)
    app.cli.add_command(reminders_command)
    app.add_template_global(_upcoming_for_home, "dialog_upcoming")


def _upcoming_for_home(limit=3):
    return upcoming_meetings(limit=limit)


@click.command("dialog-anonymise")
@click.option("--older-than-days", type=click.IntRange(min=0), required=True,
              help="Anonymise registrations of meetings that ended more than this many days ago.")
@with_appcontext
def anonymise_command(older_than_days):
    """Anonymisera anmälningar till möten som slutade för mer än N dagar sedan."""
    count = anonymise_older_than(older_than_days)
    click.echo(f"Anonymiserade {count} anmälningar.")


@click.command("dialog-reminders")
@with_appcontext
def reminders_command():
    """Lägg påminnelser i e-postkön för möten som närmar sig (kör dagligen; samma dag två gånger gör inget)."""
    with command_links():
        count = queue_due_reminders()
    click.echo(f"{count} påminnelser lades i e-postkön.")
