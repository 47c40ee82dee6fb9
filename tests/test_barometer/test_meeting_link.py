"""A live session can be attached to a dialogue meeting, and the meeting's pages list it."""
from datetime import timedelta

from core.models import utcnow
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
