"""Pages over HTTP with CSRF on: the moderator's work, access, the participant pages, streams, results."""
import io
import json
import threading

import openpyxl
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from core.models import Role
from surveys.barometer import answering, authoring, live, sessions
from surveys.barometer.models import Barometer, LiveSession
from tests.conftest import AuthActions


def test_moderator_creates_a_barometer_and_statements(client, auth, forms, moderator, db):
    auth.login_as(moderator)
    assert client.get("/barometrar/").status_code == 200
    response = forms.post("/barometrar/ny", {"title": "", "description": ""})
    assert response.status_code == 200 and "Fyll i det här fältet." in response.get_data(as_text=True)
    response = forms.post("/barometrar/ny", {"title": "Höstkonferensen", "description": "Test",
                                             "default_questions": "y"})
    assert response.status_code == 302
    barometer = db.session.scalar(sa.select(Barometer).where(Barometer.title == "Höstkonferensen"))
    assert len(barometer.background_questions) == 2
    url = f"/barometrar/{barometer.id}/pastaenden/nytt"
    response = forms.post(url, {"text": "", "steps": "5"})
    assert "Fyll i det här fältet." in response.get_data(as_text=True)
    response = forms.post(url, {"text": "Vi behöver en överenskommelse", "steps": "4", "label_1": "Nej!",
                                "allow_dont_know": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    statement = db.session.get(Barometer, barometer.id).statements[0]
    assert statement.steps == 4 and statement.step_labels[0] == "Nej!" and statement.allow_dont_know
    page = client.get(f"/barometrar/{barometer.id}").get_data(as_text=True)
    assert "Vi behöver en överenskommelse" in page and "Starta livesession" in page
    response = forms.post(f"/barometrar/{barometer.id}/sessioner", {"name": "Dag 1"},
                          page=f"/barometrar/{barometer.id}")
    assert response.status_code == 302 and "/barometrar/sessioner/" in response.headers["Location"]


def test_statement_edit_is_refused_once_answered(client, auth, forms, moderator, live_session, join):
    statement = live_session.current_statement
    answering.submit_answer(live_session.code, statement.id, join(), 3)
    auth.login_as(moderator)
    url = f"/barometrar/{live_session.barometer_id}/pastaenden/{statement.id}"
    response = forms.post(url, {"text": "Ändrad", "steps": "5"})
    assert response.status_code == 200
    assert "redan svar" in response.get_data(as_text=True)
    assert "Ändrad" in response.get_data(as_text=True)  # what was typed is kept


def test_only_the_owner_or_an_admin_manages_a_barometer(client, auth, make_user, admin, live_session, respondent):
    other = make_user("annan@test.example", roles=[Role.MODERATOR])
    urls = [f"/barometrar/{live_session.barometer_id}", f"/barometrar/sessioner/{live_session.id}",
            f"/barometrar/sessioner/{live_session.id}/visning", f"/barometrar/sessioner/{live_session.id}/resultat",
            f"/barometrar/sessioner/{live_session.id}/resultat.csv"]
    assert client.get(urls[0]).status_code == 302  # to the login page
    assert client.get(urls[3]).status_code == 302
    auth.login_as(other)
    assert [client.get(u).status_code for u in urls] == [403] * len(urls)
    auth.logout()
    auth.login_as(respondent)
    assert client.get("/barometrar/").status_code == 403
    auth.logout()
    auth.login_as(admin)
    assert [client.get(u).status_code for u in urls] == [200] * len(urls)


def test_control_actions_through_forms(client, auth, forms, moderator, live_session, db):
    auth.login_as(moderator)
    page = f"/barometrar/sessioner/{live_session.id}"
    assert forms.post(f"{page}/close", {}, page=page).status_code == 302
    response = forms.post(f"{page}/close", {}, page=page, follow_redirects=True)
    assert "redan stängt" in response.get_data(as_text=True)
    # The presenter's JavaScript sends the same forms asking for JSON.
    response = forms.post(f"{page}/next", {}, page=page, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.get_json()["statement"]["number"] == 2
    response = forms.post(f"{page}/prev", {}, page=page, headers={"Accept": "application/json"})
    assert response.get_json()["statement"]["number"] == 1
    response = forms.post(f"{page}/prev", {}, page=page, headers={"Accept": "application/json"})
    assert response.status_code == 409 and response.get_json()["message"]
    response = forms.post(f"{page}/end", {}, page=page)
    assert response.headers["Location"].endswith(f"/barometrar/sessioner/{live_session.id}/resultat")
    db.session.expire_all()
    assert db.session.get(LiveSession, live_session.id).ended


def test_presenter_page_qr_and_poll(client, auth, moderator, live_session):
    auth.login_as(moderator)
    page = client.get(f"/barometrar/sessioner/{live_session.id}/visning").get_data(as_text=True)
    assert live_session.code in page and "live-chart" in page and "<script>" not in page
    qr = client.get(f"/barometrar/sessioner/{live_session.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    poll = client.get(f"/barometrar/sessioner/{live_session.id}/live.json").get_json()
    assert poll["state"]["code"] == live_session.code and poll["counts"]["total"] == 0


def read_events(response, wanted, limit=50):
    """Read SSE events from a streamed test response until `wanted` events of interest arrived."""
    events, buffer = [], ""
    chunks = iter(response.response)
    for _ in range(limit):
        chunk = next(chunks)
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
            if "event" in lines:
                events.append((lines["event"], json.loads(lines["data"])))
        if len(events) >= wanted:
            return events
    return events


def stream_client(app):
    """A client whose requests run in the test's own context: a streamed response is read (and its
    request context popped) here, not in the isolated context the default client uses."""
    return FlaskClient(app, app.response_class, use_cookies=True)


@pytest.mark.truncate  # answers come from another thread, through connections of its own
def test_presenter_stream_sends_exact_counts_after_answers(app, moderator, live_session, join, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_RECOUNT_SECONDS", 0.05)
    client = stream_client(app)
    AuthActions(client).login_as(moderator)
    tokens = [join() for _ in range(3)]
    code, statement_id = live_session.code, live_session.current_statement_id
    response = client.get(f"/barometrar/sessioner/{live_session.id}/strom", buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    events = read_events(response, 2)
    assert [name for name, _data in events] == ["state", "counts"]
    assert events[1][1]["total"] == 0

    errors = []

    def answer_soon():
        # Another thread, like another request, after the stream waits for events.
        try:
            with app.app_context():
                for token, value in zip(tokens, (1, 5, 5), strict=True):
                    answering.submit_answer(code, statement_id, token, value)
                live.channel().flush()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    timer = threading.Timer(0.2, answer_soon)
    timer.start()
    counts = None
    for _ in range(20):
        name, data = read_events(response, 1)[0]
        if name == "counts" and data["total"] == 3:
            counts = data
            break
    timer.join()
    assert errors == []
    response.close()
    assert counts is not None and counts["counts"] == [1, 0, 0, 0, 2]


@pytest.mark.truncate  # the moderator acts from another thread, through connections of its own
def test_phone_stream_follows_the_moderator(app, db, live_session):
    client = stream_client(app)
    session_id = live_session.id
    response = client.get(f"/api/v1/live/{live_session.code}/events", buffered=False)
    assert response.status_code == 200
    first = read_events(response, 1)[0]
    assert first[0] == "state" and first[1]["statement"]["number"] == 1

    def advance():
        with app.app_context():
            sessions.session_action(db.session.get(LiveSession, session_id), "next")

    threading.Timer(0.2, advance).start()
    events = read_events(response, 1, limit=100)
    response.close()
    assert events[0][1]["statement"]["number"] == 2


def test_phone_streams_are_capped(app, client, live_session, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_MAX_STREAMS", 0)
    response = client.get(f"/api/v1/live/{live_session.code}/events")
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_participant_pages(client, live_session):
    page = client.get(f"/{live_session.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Jag håller INTE med" in html and "Vill inte svara" in html and "<script>" not in html
    unknown = client.get("/QQQQQQ")
    assert unknown.status_code == 404 and "Vi hittar ingen session" in unknown.get_data(as_text=True)
    # A live code typed in lower case leads to the session; other six-letter paths stay "not found".
    response = client.get(f"/{live_session.code.lower()}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{live_session.code}")
    assert client.get("/zzzzzz").status_code == 404
    assert client.post("/logout").status_code != 404  # the site's own routes win over codes


def test_type_your_code(client, forms, live_session):
    assert client.get("/delta").status_code == 200
    response = forms.post("/delta", {"code": f" {live_session.code.lower()} "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{live_session.code}")
    response = forms.post("/delta", {"code": "ABC"})
    assert "sex tecken" in response.get_data(as_text=True)
    response = forms.post("/delta", {"code": "zzzzzz"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "Vi hittar ingen session med koden ZZZZZZ" in html
    assert 'value="zzzzzz"' in html  # the typed code is kept


def test_results_page_exports_and_comparison(client, auth, forms, moderator, barometer, live_session, join):
    answering.submit_answer(live_session.code, live_session.current_statement_id, join(), 5)
    sessions.session_action(live_session, "end")
    second = sessions.start_session(barometer, moderator, "Dag 2")
    sessions.session_action(second, "open")
    answering.submit_answer(second.code, second.current_statement_id, join(session=second), 1)
    auth.login_as(moderator)
    url = f"/barometrar/sessioner/{live_session.id}/resultat"
    html = client.get(url).get_data(as_text=True)
    assert "likert-all" in html and "Uppdelat på" in html and "Dag 2" in html
    html = client.get(f"{url}?jamfor={second.id}").get_data(as_text=True)
    assert f"compare-{barometer.statements[0].id}" in html
    csv = client.get(f"{url}.csv")
    assert csv.status_code == 200 and barometer.statements[0].text in csv.get_data(as_text=True)
    xlsx = client.get(f"{url}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Resultat", "Svar"] and book["Resultat"]["C2"].value == 1
    # Publishing makes the results page public.
    forms.post(f"/barometrar/sessioner/{live_session.id}/publicera/ja", {}, page=url)
    auth.logout()
    assert client.get(url).status_code == 200


def test_statement_form_and_copy_pages(client, auth, forms, moderator, barometer, db):
    auth.login_as(moderator)
    other = authoring.create_barometer(moderator, "Tom")
    assert client.get(f"/barometrar/{barometer.id}/pastaenden/nytt").status_code == 200
    page = f"/barometrar/{other.id}/kopiera"
    assert client.get(page).status_code == 200
    response = forms.post(page, {"statements": [str(barometer.statements[0].id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [s.text for s in db.session.get(Barometer, other.id).statements] == [barometer.statements[0].text]
    response = forms.post(f"/barometrar/{barometer.id}/bakgrundsfragor/ny", {"text": "Ålder", "options": "Ung"})
    assert "minst två" in response.get_data(as_text=True)
    response = forms.post(f"/barometrar/{barometer.id}/bakgrundsfragor/ny",
                          {"text": "Ålder", "options": "Under 30\n30 eller äldre", "allow_decline": "y"})
    assert response.status_code == 302


def test_home_section_and_nav(client, auth, moderator):
    assert "Skriv in en kod" in client.get("/").get_data(as_text=True)
    auth.login_as(moderator)
    assert 'href="/barometrar/"' in client.get("/").get_data(as_text=True)


def test_guessing_codes_is_rate_limited(app, client, forms, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_JOIN_LIMIT", "3 per minute")
    assert [client.get(f"/QQQQQ{c}").status_code for c in "ABCD"] == [404, 404, 404, 429]
    token = forms.token("/delta")
    codes = [client.post("/delta", data={"code": f"ZZZZZ{c}", "csrf_token": token}).status_code for c in "ABCD"]
    assert codes == [404, 404, 404, 429]
