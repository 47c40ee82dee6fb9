"""Remiss consultations: the draft, invited bodies, answers, the drafting group's review and compilation."""
import click
from flask_babel import lazy_gettext as _l


def open_remisses_for_user():
    """For the home page: open remisses the logged-in user's organisations may answer."""
    import sqlalchemy as sa
    from flask_login import current_user

    from core.extensions import db
    from surveys.remiss import access, answering
    from surveys.remiss.models import Remiss, RemissStatus

    if not current_user.is_authenticated or not current_user.organisation_ids:
        return []
    out = []
    for remiss in db.session.scalars(sa.select(Remiss).where(Remiss.status == RemissStatus.OPEN)
                                     .order_by(Remiss.deadline)):
        orgs = access.answerable_org_ids(remiss, current_user)
        for org in current_user.organisations:
            if org.id in orgs and answering.accepting(remiss, org.id):
                out.append({"remiss": remiss, "organisation": org,
                            "deadline": answering.deadline_for(remiss, org.id)})
    return out


def published_remiss_count():
    """For the home page: how many remisses have published answers."""
    from surveys.remiss.compilation import published_remisses

    return len(published_remisses())


@click.command("remiss-reminders")
def remiss_reminders():
    """Skicka automatiska påminnelser för remisser där det är inställt (en gång per dag)."""
    from flask import current_app

    from core.config import ConfigError
    from surveys.remiss import managing

    try:
        base_url, warning = managing.cli_base_url(current_app.config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if warning:
        click.echo(warning, err=True)
    with current_app.test_request_context(base_url=base_url):
        done = managing.send_due_reminders()
    for remiss, sent in done:
        click.echo(f"{remiss.title}: {sent} påminnelser")
    if not done:
        click.echo("Inga påminnelser att skicka i dag.")


def _input_datetime(value):
    """A naive-UTC timestamp as the value of a datetime-local field, in Stockholm time."""
    from core.timeutil import utc_to_local_naive

    return utc_to_local_naive(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def init_app(app):
    from core.registry import add_demo_seeder, add_home_section, add_nav_item, add_organisation_merge_hook
    from surveys.remiss import models  # noqa: F401  (the schema and migrations see the tables)
    from surveys.remiss.demo import seed_demo
    from surveys.remiss.managing import merge_organisations
    from surveys.remiss.views import bp

    app.register_blueprint(bp)
    add_nav_item(app, "remiss.index", _l("Remisser"), roles=(), order=30)
    add_home_section(app, "surveys/remiss/_home.html", order=30)
    add_demo_seeder(app, seed_demo, order=30)
    app.add_template_global(open_remisses_for_user, "remiss_home_items")
    app.add_template_global(published_remiss_count, "remiss_published_count")
    app.add_template_filter(_input_datetime, "remiss_input")
    app.cli.add_command(remiss_reminders)
    add_organisation_merge_hook(app, merge_organisations)
    _plug_into_agreements(app)


def _plug_into_agreements(app):
    """Published remisses count as evidence in the agreements' action plan."""
    from core.registry import add_choice_source
    from surveys.remiss.evidence import remiss_evidence

    add_choice_source(app, "evidence:remiss", remiss_evidence)
