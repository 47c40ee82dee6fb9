"""Outgoing mail: written to the log by default, sent over SMTP when MAIL_SERVER is set."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

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
