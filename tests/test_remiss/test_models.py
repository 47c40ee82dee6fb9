"""The remiss's state rules and the invited body's status rules live on the models."""
from datetime import timedelta

import pytest

from core.models import utcnow
from surveys.remiss.models import BodyStatus, InvitedBody, Remiss, RemissError, RemissSection, RemissStatus


def _remiss(**kw):
    now = utcnow()
    values = {"title": "T", "opens_at": now - timedelta(days=1), "deadline": now + timedelta(days=1)}
    values.update(kw)
    r = Remiss(**values)
    r.status = kw.get("status", RemissStatus.DRAFT)
    return r


def test_draft_opens_closes_compiles():
    r = _remiss()
    r.sections.append(RemissSection(number=1, heading="A", text=""))
    r.open()
    assert r.status == RemissStatus.OPEN
    r.close()
    r.compile()
    assert r.status == RemissStatus.COMPILED


@pytest.mark.parametrize("status,action", [
    ("draft", "close"), ("draft", "compile"), ("open", "compile"), ("compiled", "close"), ("compiled", "reopen"),
])
def test_wrong_transitions_raise(status, action):
    r = _remiss(status=status)
    r.sections.append(RemissSection(number=1, heading="A", text=""))
    with pytest.raises(RemissError):
        getattr(r, action)()
    assert r.status == status


def test_open_needs_sections_and_valid_dates():
    r = _remiss()
    with pytest.raises(RemissError, match="avsnitt"):
        r.open()
    r.sections.append(RemissSection(number=1, heading="A", text=""))
    r.deadline = r.opens_at - timedelta(hours=1)
    with pytest.raises(RemissError, match="Svarsdatum"):
        r.open()
    assert r.status == RemissStatus.DRAFT


def test_reopen_needs_a_future_deadline():
    r = _remiss(status=RemissStatus.CLOSED, deadline=utcnow() - timedelta(hours=1))
    with pytest.raises(RemissError):
        r.reopen()
    r.deadline = utcnow() + timedelta(days=2)
    r.reopen()
    assert r.status == RemissStatus.OPEN


def test_accepting_respects_deadline_and_extension():
    now = utcnow()
    r = _remiss(status=RemissStatus.OPEN, deadline=now - timedelta(hours=1))
    assert not r.accepting(now)
    assert r.accepting(now, extension_until=now + timedelta(days=1))
    r.status = RemissStatus.CLOSED
    assert not r.accepting(now, extension_until=now + timedelta(days=1))
    future = _remiss(status=RemissStatus.OPEN, opens_at=now + timedelta(days=1), deadline=now + timedelta(days=9))
    assert not future.accepting(now)


def test_published_manually_or_at_deadline():
    now = utcnow()
    r = _remiss(status=RemissStatus.OPEN, deadline=now + timedelta(days=1))
    assert not r.is_published(now)
    r.publish_at_deadline = True
    assert not r.is_published(now)
    assert r.is_published(now + timedelta(days=2))
    r.publish_at_deadline = False
    r.published_at = now
    assert r.is_published(now)


def test_body_status_only_moves_forward():
    b = InvitedBody(status=BodyStatus.INVITED)
    b.advance(BodyStatus.DRAFT_SAVED)
    b.advance(BodyStatus.OPENED)
    assert b.status == BodyStatus.DRAFT_SAVED
    b.advance(BodyStatus.ANSWERED)
    b.advance(BodyStatus.DRAFT_SAVED)
    assert b.status == BodyStatus.ANSWERED
    declined = InvitedBody(status=BodyStatus.DECLINED)
    declined.advance(BodyStatus.OPENED)
    assert declined.status == BodyStatus.DECLINED
    declined.advance(BodyStatus.ANSWERED)
    assert declined.status == BodyStatus.ANSWERED
