"""A live session can be attached to a dialogue meeting, and the meeting's pages list it."""
import ast
from datetime import timedelta
from pathlib import Path

from core.models import utcnow
from core.registry import choices
from dialog.models import Meeting
from surveys.barometer import sessions
from surveys.barometer.models import LiveSession


def _meeting(db, title="Länskonferensen i Karlstad"):
    start = utcnow() + timedelta(days=3)
    meeting = Meeting(title=title, starts_at=start, ends_at=start + timedelta(hours=3), place="Karlstad")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_start_session_attached_to_a_meeting_through_the_form(db, auth, forms, moderator, barometer):
    meeting = _meeting(db)
    auth.login_as(moderator)
    page = f"/barometrar/{barometer.id}"
    assert meeting.title in forms.client.get(page).get_data(as_text=True)
    response = forms.post(f"/barometrar/{barometer.id}/sessioner", {"name": "Förmiddag", "meeting": str(meeting.id)},
                          page=page)
    assert response.status_code == 302
    session = db.session.query(LiveSession).one()
    assert session.meeting_id == meeting.id


def test_unknown_meeting_is_refused_with_a_message(db, auth, forms, moderator, barometer):
    auth.login_as(moderator)
    page = f"/barometrar/{barometer.id}"
    response = forms.post(f"/barometrar/{barometer.id}/sessioner", {"name": "X", "meeting": "999999"}, page=page,
                          follow_redirects=True)
    assert "Välj ett möte i listan." in response.get_data(as_text=True)
    assert db.session.query(LiveSession).count() == 0


def test_meeting_pages_list_its_sessions(db, client, auth, moderator, barometer):
    meeting = _meeting(db)
    session = sessions.start_session(barometer, moderator, "Eftermiddag", meeting_id=meeting.id)
    # The public page shows a session only once its results are shown.
    assert barometer.title not in client.get(f"/moten/{meeting.id}").get_data(as_text=True)
    sessions.session_action(session, "open")
    sessions.session_action(session, "show")
    assert barometer.title in client.get(f"/moten/{meeting.id}").get_data(as_text=True)
    auth.login_as(moderator)
    html = client.get(f"/moten/hantera/{meeting.id}").get_data(as_text=True)
    assert f"/barometrar/sessioner/{session.id}/resultat" in html or "resultat" in html
    assert barometer.title in html


def test_meetings_choice_source_offers_recent_and_upcoming_newest_first(db, app):
    now = utcnow()
    old = _meeting(db, "För länge sedan")
    old.starts_at, old.ends_at = now - timedelta(days=61), now - timedelta(days=61) + timedelta(hours=2)
    recent = _meeting(db, "Förra månaden")
    recent.starts_at, recent.ends_at = now - timedelta(days=30), now - timedelta(days=30) + timedelta(hours=2)
    later = _meeting(db, "Nästa år")
    later.starts_at, later.ends_at = now + timedelta(days=300), now + timedelta(days=300, hours=2)
    db.session.commit()
    offered = choices(app, "meetings")
    assert [meeting_id for meeting_id, _label in offered] == [later.id, recent.id]
    assert "Förra månaden" in dict(offered)[recent.id]
    # Asked by id, an old meeting still has its label (a session's page names where it was run).
    assert [meeting_id for meeting_id, _label in choices(app, "meetings", ids=[old.id])] == [old.id]


def test_the_barometer_area_imports_no_other_area():
    root = Path(__file__).resolve().parents[2]
    for path in (root / "surveys" / "barometer").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("dialog", "surveys.remiss")), (path, name)
    for path in (root / "dialog").rglob("*.py"):
        assert "surveys.barometer" not in path.read_text(encoding="utf-8"), path
