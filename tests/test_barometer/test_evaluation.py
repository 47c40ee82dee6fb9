"""Evaluation after a meeting, the barometer's side: made of Statements and Answers, answered once and
anonymously through a personal link, results per meeting and across meetings."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.agreements.actionplan import evidence_candidates
from core.models import utcnow
from core.registry import choices
from dialog.models import Meeting, MeetingStatus
from surveys.barometer import evaluation as svc
from surveys.barometer.models import (
    Answer,
    EvaluationComment,
    EvaluationReceipt,
    LiveSession,
    Participant,
    SessionState,
    Statement,
)
from tests.conftest import csrf_token_from


def _meeting(db, title="Dialogmöte 3 i Värmland", days=-1):
    start = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    meeting = Meeting(title=title, starts_at=start, ends_at=start + timedelta(hours=3), status=MeetingStatus.HELD)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _all(evaluation, value=4):
    return {s.id: value for s in evaluation.barometer.statements}


def test_an_evaluation_is_a_barometer_with_an_ended_session(app, db, moderator):
    meeting = _meeting(db)
    with app.test_request_context():
        evaluation = svc.create_evaluation(meeting.id, moderator)
        assert evaluation.barometer.title.startswith("Utvärdering:") and meeting.title in evaluation.barometer.title
        assert len(evaluation.barometer.statements) == 4
        assert all(isinstance(s, Statement) and s.steps == 5 for s in evaluation.barometer.statements)
        assert evaluation.session.state == SessionState.ENDED  # nobody joins it live with its code
        assert evaluation.open_question
        with pytest.raises(svc.EvaluationError, match="redan en utvärdering"):
            svc.create_evaluation(meeting.id, moderator)
        with pytest.raises(svc.EvaluationError) as unknown:
            svc.create_evaluation(999999, moderator)
        assert unknown.value.status == 404


def test_answers_are_stored_anonymously_and_once_per_link(app, db, moderator):
    meeting = _meeting(db)
    with app.test_request_context():
        evaluation = svc.create_evaluation(meeting.id, moderator)
        svc.submit(evaluation, "17", _all(evaluation, 5), "  Mer tid för samtal i grupp.  ")
        assert svc.already_answered(evaluation, "17") and not svc.already_answered(evaluation, "18")
        with pytest.raises(svc.AlreadyAnswered):
            svc.submit(evaluation, "17", _all(evaluation, 1))
        svc.submit(evaluation, "18", {**_all(evaluation, 2), evaluation.barometer.statements[0].id: None})
        assert svc.answer_count(evaluation) == 2
        tallies = svc.tallies(evaluation)
        assert tallies[0][2].counts == [0, 0, 0, 0, 1] and tallies[0][2].dont_know == 1
        assert tallies[1][2].mean == pytest.approx(3.5)
        assert [c.text for c in evaluation.comments] == ["Mer tid för samtal i grupp."]
    # What is stored knows nothing of who answered: the receipt holds only an HMAC, the participant a random
    # hash and no background, the comment no time.
    receipts = db.session.scalars(sa.select(EvaluationReceipt)).all()
    assert len(receipts) == 2 and all("17" not in r.key_hash and len(r.key_hash) == 64 for r in receipts)
    assert all(p.background == {} for p in db.session.scalars(sa.select(Participant)))
    assert set(EvaluationComment.__table__.columns.keys()) == {"id", "evaluation_id", "text"}
    assert set(EvaluationReceipt.__table__.columns.keys()) == {"id", "evaluation_id", "key_hash"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 8


def test_missing_answers_are_named(app, db, moderator):
    meeting = _meeting(db)
    with app.test_request_context():
        evaluation = svc.create_evaluation(meeting.id, moderator)
        first, second = evaluation.barometer.statements[:2]
        form = {f"s-{first.id}": "3", f"s-{second.id}": "9"}
        with pytest.raises(svc.EvaluationError, match="påstående 2, 3, 4"):
            svc.parse_answers(evaluation, form)
        form.update({f"s-{s.id}": svc.DONT_KNOW for s in evaluation.barometer.statements[1:]})
        assert svc.parse_answers(evaluation, form) == {first.id: 3, **{s.id: None for s in
                                                                       evaluation.barometer.statements[1:]}}
        with pytest.raises(svc.EvaluationError, match="för långt"):
            svc.submit(evaluation, "1", _all(evaluation), "x" * (svc.COMMENT_MAX + 1))


def test_links_and_summary_through_the_registry(app, db, moderator):
    meeting = _meeting(db)
    with app.test_request_context():
        assert choices(app, "meeting_evaluation", meeting_id=meeting.id) is None
        assert choices(app, "evaluation_links", meeting_id=meeting.id, keys=[1]) == {}
        evaluation = svc.create_evaluation(meeting.id, moderator)
        links = choices(app, "evaluation_links", meeting_id=meeting.id, keys=[1, 2])
        assert set(links) == {1, 2} and links[1] != links[2] and "/utvardering/" in links[1]
        token = links[1].rsplit("/", 1)[1]
        assert svc.from_token(token) == (evaluation, "1")
        assert svc.from_token(token + "x") == (None, None)
        assert choices(app, "meeting_evaluation", meeting_id=meeting.id)["answers"] == 0


def test_series_means_match_statements_across_meetings(app, db, moderator):
    first, second = _meeting(db, "Första", days=-30), _meeting(db, "Andra", days=-2)
    with app.test_request_context():
        a = svc.create_evaluation(first.id, moderator)
        b = svc.create_evaluation(second.id, moderator)
        svc.submit(a, "1", _all(a, 2))
        svc.submit(b, "1", _all(b, 4))
        svc.submit(b, "2", _all(b, 5))
        means = svc.series_means([first.id, second.id])
    assert [m[2] for m in means["meetings"]] == [1, 2]
    assert means["statements"][0][1] == [2.0, 4.5]
    assert svc.series_means([12345]) is None


# --- HTTP --------------------------------------------------------------------------------------------

def test_answering_through_the_personal_link(app, db, client, moderator):
    meeting = _meeting(db)
    with app.test_request_context():
        evaluation = svc.create_evaluation(meeting.id, moderator)
        url = svc.answer_url(evaluation, "42").replace("http://localhost", "")
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and evaluation.open_question in html
    token = csrf_token_from(html)
    statements = evaluation.barometer.statements
    # One missing: the error names it, and what was chosen and typed is still there.
    data = {"csrf_token": token, f"s-{statements[0].id}": "5", "comment": "Bra möte, för kort fika."}
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Svara på påstående 2, 3, 4" in html
    assert "Bra möte, för kort fika." in html and 'value="5" checked' in html
    data.update({f"s-{s.id}": "4" for s in statements[1:]})
    response = client.post(url, data=data)
    assert response.status_code == 302
    thanks = client.get(url).get_data(as_text=True)
    assert "Varje länk kan bara användas en gång" in thanks
    assert client.post(url, data=data).status_code == 200  # a second post shows the thanks, stores nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Participant)) == 1
    assert client.get("/utvardering/fel-lank").status_code == 404


def test_the_panel_creates_the_evaluation_and_the_results_page(app, db, client, auth, forms, moderator):
    meeting = _meeting(db)
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Utvärdering efter mötet" in html and "Skapa utvärdering" in html
    response = forms.post(f"/barometrar/utvarderingar/mote/{meeting.id}", {}, page=page)
    assert response.status_code == 302
    evaluation = svc.evaluation_for_meeting(meeting.id)
    results = client.get(f"/barometrar/utvarderingar/{evaluation.id}").get_data(as_text=True)
    assert "0 personer har svarat" in results
    with app.test_request_context():
        svc.submit(evaluation, "1", _all(evaluation, 4), "Tydligare dagordning.")
    results = client.get(f"/barometrar/utvarderingar/{evaluation.id}").get_data(as_text=True)
    assert "1 person har svarat" in results and "Tydligare dagordning." in results
    assert 'data-plotly-for="evaluation-likert"' in results
    again = forms.post(f"/barometrar/utvarderingar/mote/{meeting.id}", {}, page=page, follow_redirects=True)
    assert "Mötet har redan en utvärdering." in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LiveSession)) == 1
    auth.logout()
    assert client.get(f"/barometrar/utvarderingar/{evaluation.id}").status_code in (302, 401)


def test_an_answered_evaluation_is_evidence_for_the_action_plan(app, db, moderator):
    meeting = _meeting(db)
    with app.test_request_context():
        evaluation = svc.create_evaluation(meeting.id, moderator)
        assert not [c for c in evidence_candidates() if c["url"].endswith(f"/utvarderingar/{evaluation.id}")]
        svc.submit(evaluation, "1", _all(evaluation))
        offered = [c for c in evidence_candidates(kind="barometer")
                   if c["url"].endswith(f"/utvarderingar/{evaluation.id}")]
    assert len(offered) == 1 and offered[0]["id"] == evaluation.session_id and "(1 svar)" in offered[0]["label"]
