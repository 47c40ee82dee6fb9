"""Outgoing mail: queued in the outbox by send_mail(), sent by the mail worker (`flask mail-worker`).

The worker sends over SMTP when MAIL_SERVER is set and writes each mail to the log otherwise.
"""
import logging
import signal
import smtplib
import time
from contextlib import contextmanager
from email.message import EmailMessage
from urllib.parse import quote, urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from core import outbox as queue_svc
from core.config import ConfigError, base_url, cli_base_url
from core.extensions import db

log = logging.getLogger("samrad.mail")

def init_app(app):
    """Without SMTP, mail goes to the console: make sure the log line is actually shown."""
    if not app.config.get("MAIL_SERVER") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    app.cli.add_command(mail_worker)


def outbox():
    """Messages the worker delivered in this process when TESTING (tests read them)."""
    return current_app.extensions.setdefault("samrad_outbox", [])


def send_mail(to, subject, body, attachments=(), key=None, commit=True):
    """Queue a plain-text mail for the worker; returns the outbox row. attachments: (filename, mimetype, bytes).

    key names the logical mail ("dialog-reminder:12:2026-12-01"): queued once, however often this is called.
    commit=False leaves the commit to the caller, so the mail and the change it reports are stored together;
    by default the row is committed at once, so no mail is lost when the caller commits nothing afterwards.
    """
    row = queue_svc.queue(to, subject, body, attachments=attachments, key=key)
    if commit:
        db.session.commit()
    return row


# --- delivery (the worker) -----------------------------------------------------------------------------------

def compose(row):
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg.set_content(row.body)
    for filename, mimetype, data in queue_svc.decoded_attachments(row):
        maintype, _, subtype = mimetype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def deliver(msg):
    """Hand one message to the mail server (or the log); raises when the server refuses it."""
    if current_app.config.get("TESTING"):
        outbox().append(msg)
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        log.info("Mail (not sent, MAIL_SERVER unset)\nTo: %s\nSubject: %s\n\n%s", msg["To"], msg["Subject"],
                 msg.get_body(("plain",)).get_content())
        return
    cls = smtplib.SMTP_SSL if current_app.config["MAIL_USE_SSL"] else smtplib.SMTP
    with cls(server, current_app.config["MAIL_PORT"], timeout=20) as smtp:
        if current_app.config["MAIL_USE_TLS"] and not current_app.config["MAIL_USE_SSL"]:
            smtp.starttls()
        if current_app.config.get("MAIL_USERNAME"):
            smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
        smtp.send_message(msg)
def external_url(endpoint, **values):
    """An absolute link for a mail: always from BASE_URL, never from the Host header of the current request.

    Works outside a request (CLI commands) too; a path in BASE_URL (https://example.org/samrad) is kept.
    """
    parts = urlsplit(base_url(current_app.config))
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    values = dict(values)
    current_app.inject_url_defaults(endpoint, values)
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(anchor)}" if anchor else url


@contextmanager
def command_links():
    """For a command that mails links: a request on the public address (cli_base_url), so they can be built.

    Without BASE_URL the command stops with one line in production and warns in development.
    """
    try:
        url, warning = cli_base_url(current_app.config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if warning:
        click.echo(warning, err=True)
    with current_app.test_request_context(base_url=url):
        yield


def drain(limit=20, now=None, send=None):
    """Claim due mails batch by batch and send each; returns (sent, failed). Stops when nothing is due."""
    send = send or deliver
    queue_svc.release_stale(now=now)
    sent = failed = 0
    while True:
        rows = queue_svc.claim(limit=limit, now=now)
        if not rows:
            return sent, failed
        for row in rows:
            try:
                send(compose(row))
            except Exception as exc:  # noqa: BLE001 - any failure is recorded on the row and retried later
                log.warning("Mail %s to %s failed: %s", row.id, row.to_address, exc)
                queue_svc.mark_failed(row, exc, now=now)
                failed += 1
            else:
                queue_svc.mark_sent(row, now=now)
                sent += 1


class _Stop:
    requested = False


@click.command("mail-worker")
@click.option("--once", is_flag=True, help="Skicka det som väntar och avsluta (för cron och tester).")
@click.option("--interval", type=click.FloatRange(min=0.1, max=60), default=None,
              help="Sekunder mellan kontrollerna av kön (standard MAIL_WORKER_POLL_SECONDS, 1).")
@with_appcontext
def mail_worker(once, interval):
    """Skicka e-posten i kön (utkorgen); körs hela tiden bredvid webbservern."""
    interval = interval or current_app.config.get("MAIL_WORKER_POLL_SECONDS", 1.0)
    stop = _Stop()

    def request_stop(signum, frame):
        stop.requested = True  # finish the mail in hand, then leave: its row is marked before exit

    if not once:
        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        click.echo(f"E-postkön: skickar var {interval:g}:e sekund. Avsluta med Ctrl-C.")
    purged_at = 0.0
    while True:
        try:
            if time.monotonic() - purged_at > 3600:  # old sent mail goes once an hour (and at start)
                queue_svc.purge_sent()
                purged_at = time.monotonic()
            sent, failed = drain()
        except Exception as exc:  # noqa: BLE001 - a lost database connection must not end the loop
            db.session.rollback()
            log.error("Mail worker: %s", exc)
            sent = failed = 0
        finally:
            db.session.remove()
        if once:
            click.echo(f"Skickade {sent}, misslyckades {failed}.")
            return
        if stop.requested:
            return
        time.sleep(interval)
