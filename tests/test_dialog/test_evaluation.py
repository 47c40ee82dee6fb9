"""Evaluation after a meeting, dialog's side: the link goes to those present, after the meeting, once."""
import pytest

from dialog import evaluation as evaluation_svc
from dialog import registration as reg_svc
from dialog.models import MeetingStateError, MeetingStatus
from surveys.barometer import evaluation as barometer_evaluation


@pytest.fixture
def held(make_meeting, db):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD, title="Dialogmöte 3")
    for name in ("Anna", "Bo", "Cecilia"):
        registration, _ = reg_svc.register(meeting, name, f"{name.lower()}@example.se", consent=True, send=False,
                                           by_organiser=True)
        if name != "Cecilia":
            reg_svc.set_attendance(registration, True)
    reg_svc.add_walk_in(meeting, "Utan Adress")
    return meeting


def test_sent_only_to_those_present_with_an_address_and_only_once(app, held, moderator, outbox):
    with app.test_request_context():
        with pytest.raises(MeetingStateError, match="Skapa utvärderingen först"):
            evaluation_svc.send_evaluation(held)
        barometer_evaluation.create_evaluation(held.id, moderator)
        assert evaluation_svc.send_evaluation(held) == 2
        assert sorted(m["To"] for m in outbox) == ["anna@example.se", "bo@example.se"]
        assert "/utvardering/" in outbox[0].get_content() and "anonyma" in outbox[0].get_content()
        with pytest.raises(MeetingStateError, match="redan har fått"):
            evaluation_svc.send_evaluation(held)
    assert len(outbox) == 2


def test_not_sent_before_the_meeting_is_held(app, make_meeting, moderator):
    meeting = make_meeting(days=2)
    with app.test_request_context():
        barometer_evaluation.create_evaluation(meeting.id, moderator)
        with pytest.raises(MeetingStateError, match="Markera mötet som genomfört"):
            evaluation_svc.send_evaluation(meeting)


def test_send_button_on_the_organisers_page(app, client, auth, forms, held, moderator, outbox):
    auth.login_as(moderator)
    page = f"/moten/hantera/{held.id}"
    assert "Skicka utvärderingen" not in client.get(page).get_data(as_text=True)  # none made yet
    with app.test_request_context():
        barometer_evaluation.create_evaluation(held.id, moderator)
    html = client.get(page).get_data(as_text=True)
    assert "2 närvarande med e-postadress har inte fått den än." in html
    response = forms.post(f"/moten/hantera/{held.id}/utvardering/skicka", {}, page=page, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Utvärderingen skickades till 2 deltagare." in html
    assert "Alla närvarande med e-postadress har fått länken." in html and len(outbox) == 2


def test_series_statistics_show_the_evaluations(app, client, auth, held, moderator, make_series, db):
    series = make_series()
    held.series = series
    db.session.commit()
    with app.test_request_context():
        evaluation = barometer_evaluation.create_evaluation(held.id, moderator)
        barometer_evaluation.submit(evaluation, "1", {s.id: 5 for s in evaluation.barometer.statements})
    auth.login_as(moderator)
    html = client.get(f"/moten/hantera/serier/{series.id}/statistik").get_data(as_text=True)
    assert "Utvärderingarna över serien" in html and 'data-plotly-for="evaluation-series"' in html
    assert "5,0" in html
