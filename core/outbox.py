"""The persistent outbox: mail is queued in the database and a worker claims, sends and marks each row once."""
import base64
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.models import OutboxMessage, OutboxStatus, utcnow

# Seconds to wait before attempt n+1 after n failures: 30 s, 2 min, 8 min, 32 min, ~2 h; then it is failed.
BACKOFF_SECONDS = (30, 120, 480, 1920, 7680)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1


def _config(name, default):
    return current_app.config.get(name, default)


def _encode(attachments):
    return [{"filename": name, "mimetype": mimetype, "data": base64.b64encode(data).decode("ascii")}
            for name, mimetype, data in attachments]


def decoded_attachments(row):
    """(filename, mimetype, bytes) for each attachment of a queued row."""
    return [(a["filename"], a["mimetype"], base64.b64decode(a["data"])) for a in row.attachments or []]


def new_values(to, subject, body, attachments=(), key=None, now=None):
    """The column values of one queued mail; without a key it gets a random one (a mail nobody queues again)."""
    now = now or utcnow()
    to = to if isinstance(to, str) else ", ".join(to)
    return {"idempotency_key": key or f"once:{secrets.token_hex(12)}", "to_address": to,
            "subject": str(subject)[:500], "body": body, "attachments": _encode(attachments),
            "status": OutboxStatus.QUEUED, "attempts": 0, "last_error": "", "created_at": now,
            "next_attempt_at": now}


def find(key):
    with db.session.no_autoflush:
        return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


def queue(to, subject, body, attachments=(), key=None, now=None):
    """Queue one mail in the caller's session and return its row. A key queued before returns that row
    unchanged: the same logical mail (an invitation, a day's reminder) is never queued twice."""
    return queue_values(new_values(to, subject, body, attachments, key=key, now=now))


def queue_values(values):
    """queue() for values made by new_values()."""
    existing = find(values["idempotency_key"])
    if existing is not None:
        return existing
    row = OutboxMessage(**values)
    db.session.add(row)
    db.session.flush()
    return row


def queue_many(values):
    """Queue many mails in one batch (new_values() each), skipping keys already queued; returns {key: row id}.

    One executemany INSERT and one SELECT however many mails: sending 1,000 invitations stays quick.
    """
    keys = [v["idempotency_key"] for v in values]
    with db.session.no_autoflush:
        taken = set(db.session.scalars(sa.select(OutboxMessage.idempotency_key)
                                       .where(OutboxMessage.idempotency_key.in_(keys))))
    fresh = [v for v in values if v["idempotency_key"] not in taken]
    if fresh:
        db.session.execute(sa.insert(OutboxMessage), fresh)
    return dict(db.session.execute(sa.select(OutboxMessage.idempotency_key, OutboxMessage.id)
                                   .where(OutboxMessage.idempotency_key.in_(keys))).all())


# --- the worker's side -----------------------------------------------------------------------------------

def release_stale(now=None):
    """Rows left in "sending" by a worker that died are queued again after MAIL_CLAIM_TIMEOUT seconds.

    A worker killed between the mail server accepting a mail and the row being marked sent makes that one
    mail go out twice: the unavoidable window of at-least-once delivery, kept to a single mail per worker.
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=_config("MAIL_CLAIM_TIMEOUT", 300))
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < cutoff)
        .values(status=OutboxStatus.QUEUED, claim_token=None, next_attempt_at=now)
    )
    db.session.commit()
    return result.rowcount


def claim(limit=20, now=None):
    """Take up to `limit` due rows for this worker and commit the claim before anything is sent.

    PostgreSQL: the ids are read with SELECT … FOR UPDATE SKIP LOCKED, so concurrent workers take different rows
    without waiting, and the rows stay locked until the claim is committed. (Not one UPDATE … WHERE id IN
    (SELECT … LIMIT n FOR UPDATE SKIP LOCKED): PostgreSQL may run such a subquery more than once and claim more
    than n rows.) SQLite has one writer at a time: the UPDATE's "status = 'queued'" condition makes a row taken
    by another worker in between drop out. The claim token tells which rows this worker got.
    """
    now = now or utcnow()
    token = secrets.token_hex(16)
    due = (sa.select(OutboxMessage.id)
           .where(OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = db.session.scalars(due).all()
    if not ids:
        db.session.commit()
        return []
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxStatus.QUEUED)
        .values(status=OutboxStatus.SENDING, claim_token=token, claimed_at=now,
                attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.claim_token == token,
                                                             OutboxMessage.status == OutboxStatus.SENDING)
                              .order_by(OutboxMessage.id)).all()


def mark_sent(row, now=None):
    row.status = OutboxStatus.SENT
    row.sent_at = now or utcnow()
    row.claim_token = None
    row.last_error = ""
    db.session.commit()


def mark_failed(row, error, now=None):
    """Try again later with a growing pause; after MAX_ATTEMPTS the row stays failed (shown, re-sendable)."""
    now = now or utcnow()
    row.last_error = str(error)[:2000] or error.__class__.__name__
    row.claim_token = None
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
    else:
        row.status = OutboxStatus.QUEUED
        row.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS[row.attempts - 1])
    db.session.commit()


def retry(row, now=None):
    """Queue a failed (or waiting) mail again at once, with a fresh count of attempts."""
    if row.status == OutboxStatus.SENT:
        return row
    row.status = OutboxStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = now or utcnow()
    row.claim_token = None
    return row


def counts():
    """{status: number of rows}, for the administrator's overview."""
    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status))
    found = dict(rows.all())
    return {status: found.get(status, 0) for status in OutboxStatus.LABELS}


def unsent(limit=200):
    """Failed and waiting mails, failed first, newest first."""
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.status != OutboxStatus.SENT)
        .order_by((OutboxMessage.status == OutboxStatus.FAILED).desc(), OutboxMessage.id.desc()).limit(limit)
    ).all()


def forget_address(email):
    """Delete every mail to this address (sent or not): a person's right to erasure reaches the outbox too."""
    email = (email or "").strip().lower()
    if not email:
        return 0
    return db.session.execute(sa.delete(OutboxMessage).where(sa.func.lower(OutboxMessage.to_address) == email)
                              .execution_options(synchronize_session=False)).rowcount


def purge_sent(now=None):
    """Sent mails are kept MAIL_KEEP_SENT_DAYS days (for questions like "did the invitation go out?"), then
    deleted: their text holds names and personal links."""
    now = now or utcnow()
    cutoff = now - timedelta(days=_config("MAIL_KEEP_SENT_DAYS", 30))
    count = db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT,
                                                              OutboxMessage.sent_at < cutoff)
                               .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return count
