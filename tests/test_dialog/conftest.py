"""Fixtures for dialogue meetings: a meeting factory with sensible, future times."""
from datetime import timedelta

import pytest

from core.models import utcnow
from dialog.models import Meeting, MeetingSeries, MeetingStatus


@pytest.fixture
def make_meeting(db):
    counter = {"n": 0}

    def make(title=None, days=10, hours=3, status=MeetingStatus.OPEN, capacity=None, deadline_days=None,
             series=None, **fields):
        counter["n"] += 1
        start = (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
        meeting = Meeting(
            title=title or f"Dialogmöte {counter['n']}", starts_at=start, ends_at=start + timedelta(hours=hours),
            status=status, capacity=capacity, series=series,
            registration_deadline=(utcnow() + timedelta(days=deadline_days)) if deadline_days is not None else None,
            **{"place": "Karlstad", **fields},
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make


@pytest.fixture
def make_series(db):
    def make(title="Överenskommelsen i Värmland"):
        series = MeetingSeries(title=title)
        db.session.add(series)
        db.session.commit()
        return series

    return make


@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DIALOG_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"
