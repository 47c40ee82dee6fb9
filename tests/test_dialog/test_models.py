"""State rules on the meeting and registration models."""
from datetime import timedelta

import pytest

from core.models import utcnow
from dialog.models import MeetingStateError, MeetingStatus, Registration


def test_open_registration_from_planned(make_meeting):
    meeting = make_meeting(status=MeetingStatus.PLANNED)
    meeting.open_registration()
    assert meeting.status == MeetingStatus.OPEN
    assert meeting.registration_is_open()


def test_held_meeting_cannot_change(make_meeting):
    meeting = make_meeting(days=-2, status=MeetingStatus.PLANNED)
    meeting.mark_held()
    with pytest.raises(MeetingStateError, match="kan inte ändras"):
        meeting.cancel()
    with pytest.raises(MeetingStateError):
        meeting.open_registration()


def test_future_meeting_cannot_be_marked_held(make_meeting):
    meeting = make_meeting(status=MeetingStatus.OPEN)
    with pytest.raises(MeetingStateError, match="inte börjat"):
        meeting.mark_held()


def test_cannot_open_past_meeting_or_after_deadline(make_meeting):
    past = make_meeting(days=-3, status=MeetingStatus.PLANNED)
    with pytest.raises(MeetingStateError, match="redan varit"):
        past.open_registration()
    late = make_meeting(status=MeetingStatus.PLANNED, deadline_days=-1)
    with pytest.raises(MeetingStateError, match="Sista anmälningsdag"):
        late.open_registration()


def test_cancel_and_reinstate(make_meeting):
    meeting = make_meeting(status=MeetingStatus.OPEN)
    meeting.cancel()
    assert meeting.status == MeetingStatus.CANCELLED
    assert not meeting.registration_is_open()
    meeting.reinstate()
    assert meeting.status == MeetingStatus.PLANNED
    with pytest.raises(MeetingStateError):
        meeting.reinstate()


def test_registration_open_respects_deadline_and_start(make_meeting):
    meeting = make_meeting(deadline_days=2)
    assert meeting.registration_is_open()
    assert not meeting.registration_is_open(now=utcnow() + timedelta(days=3))
    assert not meeting.registration_is_open(now=meeting.starts_at + timedelta(minutes=1))


def test_cancelled_registration_cannot_be_checked_in(make_meeting, db):
    meeting = make_meeting()
    registration = Registration(meeting=meeting, name="Anna", email="anna@example.se")
    db.session.add(registration)
    registration.cancel()
    with pytest.raises(MeetingStateError, match="avbokad"):
        registration.check_in()
    with pytest.raises(MeetingStateError, match="redan avbokad"):
        registration.cancel()
