"""Reminders N days before a meeting, and the waiting list's promotion mail queued at once (issue 13)."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.models import OutboxMessage, OutboxStatus, utcnow
from dialog import registration as reg_svc
from dialog import reminders
from dialog.meetings import MeetingProblems, save_meeting
from dialog.models import MeetingStatus


def _registered(meeting, name, email, db, days_ago=5):
    registration, _ = reg_svc.register(meeting, name, email, consent=True, send=False)
    registration.created_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return registration


def test_reminder_is_due_inside_its_window_for_the_registered_only(make_meeting, db):
    meeting = make_meeting(days=2, capacity=1, reminder_days_before=3, what_to_bring="Handlingsplanen")
    anna = _registered(meeting, "Anna", "anna@example.se", db)
    waiting = _registered(meeting, "Bo", "bo@example.se", db)
    assert waiting.is_waiting
    later = make_meeting(days=10, reminder_days_before=3)
    _registered(later, "Cia", "cia@example.se", db)
    none_set = make_meeting(days=1)
    _registered(none_set, "Dan", "dan@example.se", db)
    assert reminders.due_registrations() == [anna]


def test_someone_who_registered_inside_the_window_is_not_reminded(make_meeting, db):
    meeting = make_meeting(days=2, reminder_days_before=3)
    _registered(meeting, "Eva", "eva@example.se", db, days_ago=0)
    assert reminders.due_registrations() == []


def test_the_daily_run_queues_each_reminder_once(make_meeting, db, outbox):
    meeting = make_meeting("Dialogmöte i Karlstad", days=2, reminder_days_before=3,
                           what_to_bring="Läs förslaget till handlingsplan före mötet.")
    _registered(meeting, "Anna", "anna@example.se", db)
    assert reminders.queue_due_reminders() == 1
    assert reminders.queue_due_reminders() == 0  # the same day again: nothing more
    [mail] = list(outbox)
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Påminnelse: Dialogmöte i Karlstad"
    assert "Läs förslaget till handlingsplan före mötet." in text
    link = re.search(r"http://localhost(/moten/anmalan/\S+)", text).group(1)
    assert reg_svc.registration_from_token(link.rsplit("/", 1)[1]).email == "anna@example.se"
    assert [a.get_filename() for a in mail.iter_attachments()] == ["mote.ics"]


def test_a_moved_meeting_is_reminded_of_again(make_meeting, db):
    meeting = make_meeting(days=2, reminder_days_before=3)
    registration = _registered(meeting, "Anna", "anna@example.se", db)
    reminders.queue_due_reminders()
    assert registration.reminded_at is not None
    save_meeting(meeting, {"starts_at": meeting.starts_at + timedelta(hours=2),
                           "ends_at": meeting.ends_at + timedelta(hours=2)})
    db.session.refresh(registration)
    assert registration.reminded_at is None
    assert reminders.queue_due_reminders() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


def test_cancelled_meetings_and_cancelled_registrations_get_no_reminder(make_meeting, db):
    meeting = make_meeting(days=2, reminder_days_before=3)
    registration = _registered(meeting, "Anna", "anna@example.se", db)
    reg_svc.cancel_registration(registration, tell_registrant=False)
    other = make_meeting(days=2, reminder_days_before=3)
    _registered(other, "Bo", "bo@example.se", db)
    other.status = MeetingStatus.CANCELLED
    db.session.commit()
    assert reminders.due_registrations() == []


def test_reminder_days_are_checked_on_the_meeting(make_meeting):
    meeting = make_meeting()
    with pytest.raises(MeetingProblems) as caught:
        save_meeting(meeting, {"reminder_days_before": 0})
    assert "från 1 till 60" in caught.value.problems["reminder_days_before"]


def test_the_reminder_command_runs_daily_and_warns_without_base_url(runner, make_meeting, db, outbox, app,
                                                                    monkeypatch):
    meeting = make_meeting(days=1, reminder_days_before=2)
    _registered(meeting, "Anna", "anna@example.se", db)
    monkeypatch.setitem(app.config, "BASE_URL", None)
    result = runner.invoke(args=["dialog-reminders"])
    assert result.exit_code == 0 and "1 påminnelser" in result.output and "BASE_URL" in result.output
    assert "http://127.0.0.1:5000/moten/anmalan/" in outbox[0].get_body(("plain",)).get_content()
    assert "0 påminnelser" in runner.invoke(args=["dialog-reminders"]).output

    monkeypatch.setitem(app.config, "SAMRAD_ENV", "production")
    result = runner.invoke(args=["dialog-reminders"])
    assert result.exit_code != 0 and "BASE_URL saknas" in result.output and "BASE_URL is not set" in result.output
    # The same rule as the remiss reminders (core.config.cli_base_url): an address without its scheme is refused.
    monkeypatch.setitem(app.config, "BASE_URL", "samrad.example.se")
    result = runner.invoke(args=["dialog-reminders"])
    assert result.exit_code != 0 and "BASE_URL måste börja med https://" in result.output


def test_a_promotion_from_the_waiting_list_is_queued_at_once(make_meeting, db):
    meeting = make_meeting(capacity=1)
    first, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True)
    second, _ = reg_svc.register(meeting, "Bo", "bo@example.se", consent=True)
    reg_svc.cancel_registration(first)
    row = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == "bo@example.se",
                                                           OutboxMessage.subject.like("Du har fått en plats%")))
    # In the queue the moment the place is freed: the worker (polling every second) sends it.
    assert row is not None and row.status == OutboxStatus.QUEUED
