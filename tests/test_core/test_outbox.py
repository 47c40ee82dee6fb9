"""The persistent outbox: queueing once per key, the worker's claim, retries with backoff, and the CLI."""
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core import outbox as queue_svc
from core.mail import drain, send_mail
from core.models import OutboxMessage, OutboxStatus, utcnow


def _rows(db):
    return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_send_mail_queues_and_the_worker_sends_with_attachments(app, db, outbox):
    send_mail("anna@example.se", "Hej", "Text med å ä ö", attachments=[("mote.ics", "text/calendar", b"BEGIN")])
    row = _rows(db)[0]
    assert row.status == OutboxStatus.QUEUED and row.attempts == 0
    assert list.__len__(outbox) == 0  # nothing is sent by queueing

    assert drain() == (1, 0)
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.sent_at is not None and row.attempts == 1
    mail = list.__getitem__(outbox, 0)
    assert mail["To"] == "anna@example.se" and "å ä ö" in mail.get_body(("plain",)).get_content()
    assert [(a.get_filename(), a.get_content()) for a in mail.iter_attachments()] == [("mote.ics", "BEGIN")]
    assert drain() == (0, 0)  # a sent mail is never sent again


def test_the_same_key_is_queued_once(db):
    first = send_mail("a@example.se", "Påminnelse", "1", key="dialog-reminder:1:x")
    again = send_mail("a@example.se", "Påminnelse", "2", key="dialog-reminder:1:x")
    assert first.id == again.id and len(_rows(db)) == 1 and _rows(db)[0].body == "1"


def test_queue_many_skips_keys_already_queued(db):
    send_mail("a@example.se", "S", "B", key="k1")
    first = _rows(db)[0]
    ids = queue_svc.queue_many([queue_svc.new_values("a@example.se", "S", "other", key="k1"),
                                queue_svc.new_values("b@example.se", "S", "B", key="k2")])
    db.session.commit()
    assert ids["k1"] == first.id and set(ids) == {"k1", "k2"} and len(_rows(db)) == 2
    assert first.body == "B"


def test_a_failure_is_retried_later_and_fails_for_good_after_the_last_attempt(app, db, outbox):
    send_mail("a@example.se", "S", "B")
    now = utcnow()

    def refuse(msg):
        raise OSError("550 mailbox unavailable")

    assert drain(now=now, send=refuse) == (0, 1)
    row = _rows(db)[0]
    assert row.status == OutboxStatus.QUEUED and row.attempts == 1 and "550" in row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=queue_svc.BACKOFF_SECONDS[0])
    assert drain(now=now, send=refuse) == (0, 0)  # not due yet: the pause is kept

    for attempt in range(2, queue_svc.MAX_ATTEMPTS + 1):
        now = row.next_attempt_at
        assert drain(now=now, send=refuse) == (0, 1)
        db.session.refresh(row)
        assert row.attempts == attempt
    assert row.status == OutboxStatus.FAILED and row.is_failed
    assert drain(now=now + timedelta(days=1), send=refuse) == (0, 0)  # failed rows wait for a person

    queue_svc.retry(row)
    db.session.commit()
    assert drain() == (1, 0)
    db.session.refresh(row)
    assert row.status == OutboxStatus.SENT and row.last_error == ""


def test_a_claimed_row_is_not_claimed_again(db):
    send_mail("a@example.se", "S", "B")
    send_mail("b@example.se", "S", "B")
    first = queue_svc.claim(limit=1)
    second = queue_svc.claim(limit=5)
    assert len(first) == 1 and len(second) == 1 and first[0].id != second[0].id
    assert queue_svc.claim(limit=5) == []


def test_rows_of_a_crashed_worker_are_taken_back_after_the_timeout(app, db):
    send_mail("a@example.se", "S", "B")
    now = utcnow()
    [row] = queue_svc.claim(now=now)  # the worker dies here: the row stays "sending"
    assert queue_svc.release_stale(now=now + timedelta(seconds=10)) == 0
    later = now + timedelta(seconds=app.config["MAIL_CLAIM_TIMEOUT"] + 1)
    assert queue_svc.release_stale(now=later) == 1
    db.session.refresh(row)
    assert row.status == OutboxStatus.QUEUED
    assert drain(now=later) == (1, 0)


@pytest.mark.truncate  # the workers are threads with connections of their own: real commits
def test_two_workers_at_once_send_each_mail_exactly_once(app, db):
    for n in range(40):
        send_mail(f"p{n}@example.se", "S", "B")
    delivered, errors = [], []
    lock = threading.Lock()

    def record(msg):
        with lock:
            delivered.append(msg["To"])

    def worker():
        with app.app_context():
            try:
                drain(limit=3, send=record)
            except Exception as exc:  # pragma: no cover - shown by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(delivered) == sorted(f"p{n}@example.se" for n in range(40))
    assert {r.status for r in _rows(db)} == {OutboxStatus.SENT}


def test_mail_worker_once_from_the_command_line(runner, db, outbox):
    send_mail("a@example.se", "S", "B")
    result = runner.invoke(args=["mail-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Skickade 1" in result.output
    assert list.__len__(outbox) == 1


def test_administrators_see_failed_mail_and_queue_it_again(client, auth, forms, admin, moderator, db):
    row = send_mail("borta@example.se", "Kvitto", "B")
    row.status, row.attempts, row.last_error = OutboxStatus.FAILED, 6, "550 mailbox unavailable"
    db.session.commit()
    auth.login_as(moderator)
    assert client.get("/admin/e-post").status_code == 403
    auth.logout()
    auth.login_as(admin)
    html = client.get("/admin/e-post").get_data(as_text=True)
    assert "borta@example.se" in html and "550 mailbox unavailable" in html and "Misslyckades" in html
    response = forms.post(f"/admin/e-post/{row.id}/forsok-igen", {}, page="/admin/e-post")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.status == OutboxStatus.QUEUED and row.attempts == 0


def test_old_sent_mail_is_purged_and_an_erased_address_is_forgotten(app, db):
    old = send_mail("gammal@example.se", "S", "B")
    send_mail("ny@example.se", "S", "B")
    drain()
    now = utcnow()
    old.sent_at = now - timedelta(days=app.config["MAIL_KEEP_SENT_DAYS"] + 1)
    db.session.commit()
    send_mail("Kvar@Example.se", "S", "B")
    assert queue_svc.purge_sent(now=now) == 1
    assert [r.to_address for r in _rows(db)] == ["ny@example.se", "Kvar@Example.se"]
    assert queue_svc.forget_address("kvar@example.se") == 1
    db.session.commit()
    assert [r.to_address for r in _rows(db)] == ["ny@example.se"]
