"""`flask agreements remind`: the daily mail about deadlines coming up (run it from cron once a day)."""
from datetime import date

import click
from flask.cli import AppGroup

from core.agreements import deadlines

cli = AppGroup("agreements", help="Överenskommelser: påminnelser om tidsfrister.")


@cli.command("remind")
@click.option("--today", default=None, help="Dagens datum, ÅÅÅÅ-MM-DD (för att prova).")
def remind(today):
    """Mejla påminnelser om tidsfrister som närmar sig; en gång per tidsfrist och framförhållning."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise click.BadParameter("Skriv datumet som ÅÅÅÅ-MM-DD.", param_hint="--today") from exc
    sent = deadlines.send_reminders(today=day)
    click.echo(f"{sent} påminnelser skickade.")
