"""Fixtures for the barometer tests: a barometer with statements, a running session, participants."""
import pytest

from surveys.barometer import access, answering, authoring, sessions


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The hot path caches code → session and token → participant per process; ids restart per test.
    access.forget_session_cache()
    yield
    access.forget_session_cache()


@pytest.fixture
def barometer(app, moderator):
    barometer = authoring.create_barometer(moderator, "Värmland 2015", "Konferensen")
    authoring.add_statement(barometer, "Min organisation har något att tillföra!")
    authoring.add_statement(barometer, "Vi har redan tillräckligt bra samverkan!", steps=4)
    authoring.add_statement(barometer, "Överenskommelsearbetet kan göras utan att kosta pengar", steps=7,
                           allow_dont_know=False)
    return barometer


@pytest.fixture
def live_session(barometer, moderator):
    """Running, first statement open."""
    session = sessions.start_session(barometer, moderator, "Karlstad")
    sessions.session_action(session, "open")
    return session


@pytest.fixture
def join(live_session):
    def make(background=None, session=None):
        _participant, token = answering.join(session or live_session, background or {})
        return token

    return make


@pytest.fixture
def api(client):
    """Small helpers for the JSON API as a phone would call it."""

    class Api:
        def state(self, code, token=None):
            return client.get(f"/api/v1/live/{code}", headers=self._auth(token))

        def join(self, code, background=None):
            return client.post(f"/api/v1/live/{code}/join", json={"background": background or {}})

        def answer(self, code, statement_id, value, token):
            return client.put(f"/api/v1/live/{code}/statements/{statement_id}/answer", json={"value": value},
                              headers=self._auth(token))

        def results(self, code, token=None):
            return client.get(f"/api/v1/live/{code}/results", headers=self._auth(token))

        @staticmethod
        def _auth(token):
            return {"Authorization": f"Bearer {token}"} if token else {}

    return Api()
