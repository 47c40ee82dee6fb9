"""The JSON API over HTTP: one test per status code, access to results, rate limits, OpenAPI."""
import json

import sqlalchemy as sa

from core.models import ApiToken, Role
from surveys.barometer import answering, sessions
from surveys.barometer.models import Answer


def test_state_200_and_unknown_code_404(api, live_session):
    response = api.state(live_session.code)
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "running" and body["statement_open"] is True
    assert [s["value"] for s in body["statement"]["steps"]] == [1, 2, 3, 4, 5]
    assert body["statement"]["steps"][0]["label"] == "Håller inte alls med"
    assert api.state(live_session.code.lower()).status_code == 200  # typed in lower case
    for code in ("QQQQQQ", "X", "toolongcode"):
        response = api.state(code)
        assert response.status_code == 404
        assert response.get_json()["error"] == "unknown_code" and response.get_json()["message"]


def test_join_201_then_answer_200(api, live_session, db):
    response = api.join(live_session.code)
    assert response.status_code == 201
    token = response.get_json()["participant_token"]
    statement_id = live_session.current_statement_id
    first = api.answer(live_session.code, statement_id, 4, token)
    assert first.status_code == 200 and first.get_json() == {"statement_id": statement_id, "value": 4}
    assert api.answer(live_session.code, statement_id, 4, token).status_code == 200  # double tap
    assert api.answer(live_session.code, statement_id, None, token).get_json()["value"] is None
    rows = db.session.scalars(sa.select(Answer.value).where(Answer.statement_id == statement_id)).all()
    assert rows == [None]
    assert api.state(live_session.code, token).get_json()["my_answer"] == {"answered": True, "value": None}


def test_join_400_for_unknown_background_answer(api, live_session, barometer):
    question = barometer.background_questions[0]
    response = api.join(live_session.code, {str(question.id): "finns-inte"})
    assert response.status_code == 400 and response.get_json()["error"] == "bad_background"


def test_join_400_for_broken_json(client, live_session):
    response = client.post(f"/api/v1/live/{live_session.code}/join", data="{nej",
                           content_type="application/json")
    assert response.status_code == 400


def test_answer_400_bad_values(api, live_session, join, client):
    token = join()
    statement_id = live_session.current_statement_id
    for value in (0, 6, -1, 2**31, 10**20, -(10**20), "3", True, 2.5):  # huge ones once gave a 500
        response = api.answer(live_session.code, statement_id, value, token)
        assert response.status_code == 400, value
        assert response.get_json()["error"] == "bad_value"
    response = client.put(f"/api/v1/live/{live_session.code}/statements/{statement_id}/answer", data="x",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400


def test_answer_401_without_or_with_unknown_token(api, live_session):
    statement_id = live_session.current_statement_id
    assert api.answer(live_session.code, statement_id, 3, None).get_json()["error"] == "missing_token"
    response = api.answer(live_session.code, statement_id, 3, "nope")
    assert response.status_code == 401 and response.get_json()["error"] == "unknown_token"


def test_answer_404_unknown_code_or_statement(api, live_session, join):
    token = join()
    assert api.answer("QQQQQQ", live_session.current_statement_id, 3, token).status_code == 404
    response = api.answer(live_session.code, 99999, 3, token)
    assert response.status_code == 404 and response.get_json()["error"] == "unknown_statement"


def test_answer_409_closed_not_current_and_ended(api, live_session, join):
    token = join()
    first = live_session.current_statement_id
    sessions.session_action(live_session, "close")
    response = api.answer(live_session.code, first, 3, token)
    assert response.status_code == 409 and "stängt" in response.get_json()["message"]
    sessions.session_action(live_session, "next")
    assert api.answer(live_session.code, first, 3, token).get_json()["error"] == "not_current"
    sessions.session_action(live_session, "end")
    assert api.answer(live_session.code, live_session.current_statement_id, 3, token).status_code == 409
    assert api.join(live_session.code).status_code == 409
    assert api.state(live_session.code).get_json()["state"] == "ended"


def test_answer_429_for_a_flooding_phone_only(app, api, live_session, join, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_ANSWER_LIMIT", "5 per minute")
    flooder, calm = join(), join()
    statement_id = live_session.current_statement_id
    codes = [api.answer(live_session.code, statement_id, 3, flooder).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    response = api.answer(live_session.code, statement_id, 3, flooder)
    assert response.get_json()["error"] == "rate_limited" and response.get_json()["message"]
    assert api.answer(live_session.code, statement_id, 5, calm).status_code == 200


def test_join_429_per_address(app, api, live_session, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_JOIN_LIMIT", "2 per minute")
    assert [api.join(live_session.code).status_code for _ in range(3)] == [201, 201, 429]


def test_results_access(db, api, client, auth, live_session, join, make_user, admin, moderator):
    token = join()
    answering.submit_answer(live_session.code, live_session.current_statement_id, token, 5)
    code = live_session.code
    # Nobody logged in and results hidden: 401, also with a participant token.
    assert api.results(code).status_code == 401
    assert api.results(code, token).status_code == 401
    # Another moderator: 403.
    other = make_user("annan@test.example", roles=[Role.MODERATOR])
    auth.login_as(other)
    assert api.results(code).status_code == 403
    auth.logout()
    # The session's moderator, logged in: everything.
    auth.login_as(moderator)
    body = api.results(code).get_json()
    assert [s["counts"] for s in body["statements"]][0] == [0, 0, 0, 0, 1]
    assert len(body["statements"]) == 3
    auth.logout()
    # An administrator.
    auth.login_as(admin)
    assert api.results(code).status_code == 200
    auth.logout()
    # The moderator's personal API token.
    row, raw = ApiToken.issue(moderator, "skript")
    db.session.add(row)
    db.session.commit()
    assert api.results(code, raw).status_code == 200
    # Once shown: anyone, but only the statement on screen while the session runs.
    sessions.session_action(live_session, "show")
    body = api.results(code).get_json()
    assert [s["id"] for s in body["statements"]] == [live_session.current_statement_id]
    sessions.session_action(live_session, "end")
    assert api.results(code).status_code == 401  # ending hides results again
    sessions.publish_results(live_session, True)
    assert len(api.results(code).get_json()["statements"]) == 3


def test_openapi_document_lists_the_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) >= {
        "/api/v1/live/{code}", "/api/v1/live/{code}/join",
        "/api/v1/live/{code}/statements/{statement_id}/answer", "/api/v1/live/{code}/results",
    }
    put = document["paths"]["/api/v1/live/{code}/statements/{statement_id}/answer"]["put"]
    assert set(put["responses"]) == {"200", "400", "401", "404", "409", "429"}
    # Every $ref resolves.
    text = json.dumps(document)
    for name in document["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text or name in ("Step",)


def test_api_needs_no_csrf_but_pages_do(client, live_session):
    # The API is CSRF-exempt (phones send JSON with a bearer token) …
    assert client.post(f"/api/v1/live/{live_session.code}/join", json={}).status_code == 201
    # … the moderator's forms are not.
    assert client.post(f"/barometrar/sessioner/{live_session.id}/close").status_code in (302, 400)
