"""Command-line tools: accounts, API tokens, demo data and translation catalogues."""
import subprocess
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from core.auth.services import create_api_token, get_user_by_email, normalise_email, revoke_api_token
from core.demo import DEMO_PASSWORD, seed_core
from core.extensions import db
from core.models import ApiToken, Role, User

ROOT = Path(__file__).resolve().parent.parent
# Each area keeps its own catalogue, so work on one never conflicts with another.
CATALOGUES = {
    "core": ["app.py", "core/*.py", "core/auth", "templates/base.html", "templates/_macros", "templates/errors",
             "templates/core/*.html", "templates/core/auth", "templates/core/email"],
    "core/organisations": ["core/organisations", "templates/core/organisations"],
    "core/agreements": ["core/agreements", "templates/core/agreements"],
    "dialog": ["dialog", "templates/dialog"],
    "surveys/barometer": ["surveys/__init__.py", "surveys/barometer", "templates/surveys/barometer"],
    "surveys/remiss": ["surveys/remiss", "templates/surveys/remiss"],
}


def catalogue_sources(package):
    """The files and folders a catalogue's strings are extracted from."""
    found = []
    for pattern in CATALOGUES[package]:
        found.extend(sorted(str(p.relative_to(ROOT)) for p in ROOT.glob(pattern)))
    return found


def init_app(app):
    app.cli.add_command(create_admin)
    app.cli.add_command(create_token)
    app.cli.add_command(revoke_token)
    app.cli.add_command(seed_demo)
    app.cli.add_command(translations)


@click.command("create-admin")
@click.option("--email", prompt="E-postadress")
@click.option("--name", default="", help="Namn som visas")
@click.password_option("--password", prompt="Lösenord", confirmation_prompt="Upprepa lösenordet")
def create_admin(email, name, password):
    """Skapa en administratör (eller gör ett befintligt konto till administratör)."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.BadParameter("Skriv en giltig e-postadress.", param_hint="--email")
    if len(password) < 10:
        raise click.BadParameter("Lösenordet ska ha minst 10 tecken.", param_hint="--password")
    user = get_user_by_email(email)
    if user is None:
        user = User(email=email, name=name)
        db.session.add(user)
    user.set_password(password)
    user.set_roles(user.roles | {Role.ADMIN})
    db.session.commit()
    click.echo(f"Administratören {email} är klar.")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="cli", help="Vad nyckeln ska användas till")
def create_token(email, name):
    """Skriv ut en personlig API-nyckel för EMAIL (visas bara en gång)."""
    user = get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Det finns inget konto med e-postadressen {email}.")
    _, raw = create_api_token(user, name)
    click.echo(raw)


@click.command("revoke-token")
@click.argument("prefix")
def revoke_token(prefix):
    """Återkalla API-nyckeln som börjar med PREFIX (de första 12 tecknen)."""
    rows = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.prefix == prefix[:12], ApiToken.revoked_at.is_(None))
    ).all()
    if not rows:
        raise click.ClickException("Ingen aktiv nyckel börjar så.")
    for row in rows:
        revoke_api_token(row)
    click.echo(f"Återkallade {len(rows)} nyckel/nycklar.")


@click.command("seed-demo")
def seed_demo():
    """Ladda demodata (går att köra flera gånger)."""
    if current_app.config.get("SAMRAD_ENV") == "production":
        raise click.ClickException("seed-demo körs inte i produktion (SAMRAD_ENV=production).")
    seed_core()
    for _, func in sorted(current_app.extensions.get("samrad_seeders", []), key=lambda s: s[0]):
        func()
    click.echo("Demodata är laddade. Logga in som admin@samrad.example, moderator@samrad.example, "
               f"skrivargrupp@samrad.example eller svarande@samrad.example med lösenordet {DEMO_PASSWORD}.")


@click.group("translations")
def translations():
    """Extract, update and compile the translation catalogues."""


# The width the catalogues are kept at, so an update changes only what changed.
PO_WIDTH = "100"


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _chosen(package):
    if package and package not in CATALOGUES:
        raise click.BadParameter(f"choose one of {', '.join(CATALOGUES)}", param_hint="--package")
    return [package] if package else list(CATALOGUES)


@translations.command("update")
@click.option("--package", "only", help="Only this catalogue: " + ", ".join(CATALOGUES))
def translations_update(only):
    """Extract strings of each package and merge them into its English catalogue."""
    for package in _chosen(only):
        pot = ROOT / package / "translations" / "messages.pot"
        pot.parent.mkdir(parents=True, exist_ok=True)
        existing = catalogue_sources(package)
        _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
                 "-w", PO_WIDTH, "-o", str(pot), *existing)
        po = ROOT / package / "translations" / "en" / "LC_MESSAGES" / "messages.po"
        if po.exists():
            _pybabel("update", "-i", str(pot), "-d", str(pot.parent), "-l", "en", "--no-fuzzy-matching",
                     "--ignore-obsolete", "-w", PO_WIDTH)
        else:
            _pybabel("init", "-i", str(pot), "-d", str(pot.parent), "-l", "en", "-w", PO_WIDTH)
        click.echo(f"{package}: {po.relative_to(ROOT)}")


@translations.command("compile")
@click.option("--package", "only", help="Only this catalogue")
def translations_compile(only):
    """Compile every catalogue to .mo."""
    for package in _chosen(only):
        directory = ROOT / package / "translations"
        if directory.exists():
            _pybabel("compile", "-d", str(directory), "--statistics")
