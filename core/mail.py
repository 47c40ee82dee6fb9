"""Outgoing mail: written to the log by default, sent over SMTP when MAIL_SERVER is set."""
import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import quote, urlsplit

from flask import current_app

from core.config import base_url

log = logging.getLogger("samrad.mail")


def init_app(app):
    """Without SMTP, mail goes to the console: make sure the log line is actually shown."""
    if not app.config.get("MAIL_SERVER") and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def outbox():
    """Messages sent in this process when TESTING (tests read them)."""
    return current_app.extensions.setdefault("samrad_outbox", [])


def send_mail(to, subject, body, attachments=()):
    """Send a plain-text mail. attachments: iterable of (filename, mimetype, bytes)."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = to if isinstance(to, str) else ", ".join(to)
    msg["Subject"] = subject
    msg.set_content(body)
    for filename, mimetype, data in attachments:
        maintype, _, subtype = mimetype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)

    if current_app.config.get("TESTING"):
        outbox().append(msg)
    server = current_app.config.get("MAIL_SERVER")
    if not server:
        log.info("Mail (not sent, MAIL_SERVER unset)\nTo: %s\nSubject: %s\n\n%s", msg["To"], subject, body)
        return msg
    cls = smtplib.SMTP_SSL if current_app.config["MAIL_USE_SSL"] else smtplib.SMTP
    with cls(server, current_app.config["MAIL_PORT"], timeout=20) as smtp:
        if current_app.config["MAIL_USE_TLS"] and not current_app.config["MAIL_USE_SSL"]:
            smtp.starttls()
        if current_app.config.get("MAIL_USERNAME"):
            smtp.login(current_app.config["MAIL_USERNAME"], current_app.config["MAIL_PASSWORD"])
        smtp.send_message(msg)
    return msg


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
