"""Venue scale (issue 10): one phone state per change, ETag polls, the participant cap, cheap refusals,
rate limits that need no Redis, and streams only where they cost no thread."""
import contextlib
import fcntl
import os
import threading
import time

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from core.extensions import db as _db
from core.extensions import limiter
from surveys.barometer import access, answering, results, sessions, streams
from surveys.barometer.broadcast import Board, broadcaster
from surveys.barometer.models import Answer, LiveSession, Participant
from tests.test_barometer.test_views import read_events


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __call__(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(_db.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(_db.engine, "before_cursor_execute", self)


def stream_client(app):
    return FlaskClient(app, app.response_class, use_cookies=False)


def test_many_phone_streams_share_one_state_read_once_per_change(app, db, live_session):
    code, session_id = live_session.code, live_session.id
    caster = broadcaster()
    phones = [stream_client(app).get(f"/api/v1/live/{code}/events", buffered=False) for _ in range(30)]
    assert {p.status_code for p in phones} == {200}
    first = [read_events(p, 1)[0] for p in phones]
    assert {data["statement"]["number"] for _name, data in first} == {1}
    assert caster.loads == 1  # thirty phones, one read

    sessions.session_action(db.session.get(LiveSession, session_id), "next")
    with QueryCounter() as queries:
        caster.tick()  # what the watcher does a few times a second
        board = caster.boards[session_id]
        payloads = [next(p.response) for p in phones]
    assert caster.loads == 2
    # One version check and one state read for the change; nothing per phone.
    assert len(queries.statements) < 8
    assert all(payload is board.current[1] for payload in payloads)  # the very same bytes object
    assert b'"number":2' in payloads[0]
    for phone in phones:
        phone.close()
    assert board.streams == 0


def test_a_change_made_by_another_process_reaches_the_phones_without_any_event(app, db, live_session):
    """Several workers without Redis: no event reaches this process, the version column does."""
    board = broadcaster().board(live_session.id)
    seq = board.seq
    second = live_session.barometer.statements[1]
    with _db.engine.begin() as conn:  # as another worker would: a commit, and no publish here
        conn.execute(sa.update(LiveSession).where(LiveSession.id == live_session.id)
                     .values(current_statement_id=second.id, version=LiveSession.version + 1))
    assert not board.stale
    broadcaster().tick()
    assert board.seq == seq + 1 and board.current[4]["statement"]["id"] == second.id


def test_shown_results_are_reread_when_answers_arrive(app, db, live_session, join, monkeypatch):
    sessions.session_action(live_session, "show")
    board = broadcaster().board(live_session.id)
    assert board.current[4]["results"]["total"] == 0
    answering.submit_answer(live_session.code, live_session.current_statement_id, join(), 5)
    broadcaster().on_event({"session": live_session.id, "kind": "answers"})  # what the flusher sends
    assert board.current[4]["results"]["total"] == 1
    # Answers given through another worker send no event: the watcher re-reads shown results anyway.
    answering.submit_answer(live_session.code, live_session.current_statement_id, join(), 1)
    board.loaded_at -= 60
    broadcaster().tick()
    assert board.current[4]["results"]["total"] == 2


def test_poll_answers_304_while_nothing_changed(app, client, db, live_session, join):
    token = join()
    url = f"/api/v1/live/{live_session.code}"
    first = client.get(url, headers={"Authorization": f"Bearer {token}"})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')
    assert first.get_json()["my_answer"] == {"answered": False, "value": None}
    with QueryCounter() as queries:
        again = client.get(url, headers={"Authorization": f"Bearer {token}", "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and not again.data
    assert queries.statements == []  # a 304 reads nothing from the database
    sessions.session_action(db.session.get(LiveSession, live_session.id), "close")
    changed = client.get(url, headers={"Authorization": f"Bearer {token}", "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["statement_open"] is False


def test_a_session_takes_at_most_its_participant_cap(app, api, live_session, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_MAX_PARTICIPANTS", 2)
    codes = [api.join(live_session.code).status_code for _ in range(3)]
    assert codes == [201, 201, 409]
    refused = api.join(live_session.code)
    assert refused.get_json()["error"] == "session_full" and "högst 2" in refused.get_json()["message"]
    assert results.participant_count(live_session) == 2


def test_a_join_flood_counts_the_participants_once_a_second_not_per_join(app, api, live_session, monkeypatch):
    """Counting on every join made 10,000 joins quadratic; near the cap the count is exact again."""
    monkeypatch.setitem(app.config, "LIVE_MAX_PARTICIPANTS", 5)
    counted = []
    real_count = results.participant_count
    monkeypatch.setattr(answering, "participant_count", lambda s: counted.append(1) or real_count(s))
    codes = [api.join(live_session.code).status_code for _ in range(7)]
    assert codes == [201] * 5 + [409, 409]
    # One count for the first join, one when this process's estimate reached the cap; the full session is
    # then remembered, so the last join counts nothing.
    assert len(counted) == 2
    assert results.participant_count(live_session) == 5


def test_the_phones_paths_skip_flask_limiter_altogether(app, api, live_session, join, monkeypatch):
    """The phones' paths are limited by core.ratelimit only: Flask-Limiter's per-request work (about an eighth
    of an answer's CPU) is not done for them at all, while other paths still go through it."""
    resolved = []
    real = limiter.limit_manager.resolve_limits
    monkeypatch.setattr(limiter.limit_manager, "resolve_limits",
                        lambda app, endpoint, *a, **k: resolved.append(endpoint) or real(app, endpoint, *a, **k))
    token = join()
    statement = live_session.current_statement
    assert api.answer(live_session.code, statement.id, 3, token).status_code == 200
    assert api.state(live_session.code, token).status_code == 200
    assert api.join(live_session.code).status_code == 201
    assert resolved == []
    app.test_client().get(f"/api/v1/live/{live_session.code}/results")  # not a phone's path
    assert set(resolved) == {"barometer_api.results"}


def test_joining_an_ended_session_reads_nothing(app, api, db, live_session):
    sessions.session_action(live_session, "end")
    assert api.join(live_session.code).status_code == 409  # loads the shared state once
    with QueryCounter() as queries:
        response = api.join(live_session.code)
    assert response.status_code == 409 and response.get_json()["error"] == "session_ended"
    assert queries.statements == []


def test_the_phones_paths_work_while_the_limit_storage_is_down(app, api, live_session, join, monkeypatch):
    """Redis stopped: Flask-Limiter's storage fails, the phones' own counters do not need it."""
    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(limiter.limiter, "hit", broken)
    monkeypatch.setattr(limiter.limiter, "test", broken)
    token = api.join(live_session.code).get_json()["participant_token"]
    assert api.answer(live_session.code, live_session.current_statement_id, 3, token).status_code == 200
    assert api.state(live_session.code, token).status_code == 200


def test_streams_are_refused_where_they_would_hold_a_pool_thread(app, monkeypatch):
    monkeypatch.setattr(app, "testing", False)
    gthread = {"SERVER_SOFTWARE": "gunicorn/27.0.1", "wsgi.multithread": True}
    werkzeug = {"SERVER_SOFTWARE": "Werkzeug/3.1", "wsgi.multithread": True}
    single = {"SERVER_SOFTWARE": "Werkzeug/3.1", "wsgi.multithread": False}
    assert not streams.streams_are_cheap(gthread)
    assert streams.streams_are_cheap(werkzeug)
    assert not streams.streams_are_cheap(single)


def test_phone_stream_under_a_thread_pool_answers_503_so_the_page_polls(app, client, live_session, monkeypatch):
    monkeypatch.setattr(app, "testing", False)
    response = client.get(f"/api/v1/live/{live_session.code}/events",
                          environ_base={"SERVER_SOFTWARE": "gunicorn/27.0.1"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert client.get(f"/api/v1/live/{live_session.code}").status_code == 200


def _answer_params(participant_id, live_session, value):
    return {"participant_id": participant_id, "session_id": live_session.id,
            "statement_id": live_session.current_statement_id, "value": value, "now": answering.utcnow(),
            "running": "running"}


def _participant_id(token):
    return access.participant_for_token(token)[0]


def test_answers_that_arrive_together_are_written_in_one_transaction(app, db, live_session, join):
    """Group commit: what queued while another request wrote goes in the next transaction, in arrival order,
    and each answer still learns whether it was stored."""
    writer = answering.GroupCommit()
    first, second = _participant_id(join()), _participant_id(join())
    queued = [answering._Pending(_answer_params(first, live_session, 2)),
              answering._Pending(_answer_params(second, live_session, 5)),
              answering._Pending(_answer_params(first, live_session, 4))]  # first changes its mind
    writer._queue.extend(queued)
    assert writer.write(db.engine, _answer_params(second, live_session, 1)) is True
    assert writer.transactions == 1 and all(item.done and item.written for item in queued)
    stored = dict(db.session.execute(sa.select(Answer.participant_id, Answer.value)
                                     .where(Answer.statement_id == live_session.current_statement_id)).all())
    assert stored == {first: 4, second: 1}  # the last answer of each counts


def test_one_unknown_participant_does_not_cost_the_others_their_answers(app, db, live_session, join):
    writer = answering.GroupCommit()
    known = _participant_id(join())
    refused = answering._Pending(dict(_answer_params(known, live_session, 99)))  # not on the scale
    writer._queue.extend([answering._Pending(_answer_params(10**6, live_session, 3)), refused])
    assert writer.write(db.engine, _answer_params(known, live_session, 2)) is True
    assert refused.done and refused.written is False and refused.error is None
    unknown = answering._Pending(_answer_params(10**6, live_session, 3))
    writer._queue.append(unknown)
    assert writer.write(db.engine, _answer_params(known, live_session, 3)) is True
    assert isinstance(unknown.error, sa.exc.IntegrityError)
    assert db.session.scalar(sa.select(Answer.value).where(Answer.participant_id == known)) == 3


def test_an_unknown_participant_s_answer_is_a_401_not_a_500(app, api, db, live_session, join):
    token = join()
    participant = db.session.get(Participant, _participant_id(token))
    db.session.delete(participant)
    db.session.commit()
    response = api.answer(live_session.code, live_session.current_statement_id, 3, token)
    assert response.status_code == 401 and response.get_json()["error"] == "unknown_token"


def test_an_expired_code_is_looked_up_once_however_many_answers_miss_it(app, monkeypatch):
    """A cache stampede took every pooled connection at 10,000 phones: one lookup, the others wait for it."""
    lookups = []

    def slow_lookup(statement):
        lookups.append(statement)
        time.sleep(0.05)
        return (42,)

    monkeypatch.setattr(access, "_read_one", slow_lookup)
    access.forget_session_cache()
    found = []
    threads = [threading.Thread(target=lambda: found.append(access.session_id_for_code("ABC123")))
               for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert found == [42] * 20 and len(lookups) == 1


def test_on_sqlite_the_answers_wait_for_the_other_process_in_short_sleeps(tmp_path, monkeypatch):
    """SQLite's own wait sleeps inside the C call and stops a gevent worker; the file turn sleeps between tries
    (a greenlet switch under gevent) while another process holds it."""
    path = str(tmp_path / "live.sqlite3")
    other = os.open(f"{path}-answers.lock", os.O_RDWR | os.O_CREAT)  # the other worker's description
    fcntl.flock(other, fcntl.LOCK_EX)
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 3:
            fcntl.flock(other, fcntl.LOCK_UN)  # the other worker's write ends

    monkeypatch.setattr(answering.time, "sleep", sleep)
    engine = sa.create_engine(f"sqlite:///{path}")
    with answering.file_turn(engine):
        assert len(slept) == 3 and all(s <= 0.01 for s in slept)
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # now this process holds the turn
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # and gave it back
    os.close(other)
    engine.dispose()
    assert isinstance(answering.file_turn(sa.create_engine("sqlite://")), contextlib.nullcontext)


def test_a_phone_arriving_while_the_first_load_is_in_flight_waits_for_it(app, db, live_session):
    """On PostgreSQL under gevent the first reader's query lets other greenlets run, after it cleared `stale`:
    the next phone must not take the still-empty board for an unknown session."""
    caster = broadcaster()
    caster.boards[live_session.id] = board = Board(live_session.id)
    board.stale = False  # what the first reader has done just before its read
    assert caster.board(live_session.id).current[2]  # loaded, not empty
    response = stream_client(app).get(f"/api/v1/live/{live_session.code}")
    assert response.status_code == 200
