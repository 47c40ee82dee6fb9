"""Answering: a participant joins a session with a join code and answers the open statement.

submit_answer is the hot path of a conference (hundreds of phones within seconds): one SQL upsert
that holds the whole rule of a valid answer (see ANSWER_UPSERT and LiveSession.accepts_answer)."""
import contextlib
import fcntl
import os
import secrets
import threading
import time

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.models import hash_token, utcnow
from surveys.barometer import live
from surveys.barometer.access import forget_session_cache, participant_of_session, signed_token
from surveys.barometer.models import (
    BackgroundQuestion,
    LiveError,
    LiveSession,
    Participant,
    SessionState,
    Statement,
)
from surveys.barometer.results import participant_count


def clean_background(questions, answers):
    """Keep only known questions and options; anything else is "Vill inte svara". questions: the barometer's
    background questions (objects or rows with id, text and options)."""
    answers = answers if isinstance(answers, dict) else {}
    # Every value is an option's value or null, as the OpenAPI document says, whatever the question.
    if any(value is not None and not isinstance(value, str) for value in answers.values()):
        raise LiveError(400, "bad_background",
                        _("Bakgrundssvaren ska vara text eller null: {\"fråge-id\": \"värde\"}."))
    cleaned = {}
    for question in questions:
        value = answers.get(str(question.id), answers.get(question.id))
        if value is not None and not any(option["value"] == value for option in question.options or []):
            raise LiveError(400, "bad_background",
                            _("Svaret på frågan ”%(question)s” finns inte bland alternativen.",
                              question=question.text))
        cleaned[str(question.id)] = value
    return cleaned


def join(session, background=None):
    """Create an anonymous participant; returns (participant, raw token). The token is shown once."""
    participant_id, raw = _join(session.id, session.ended, session.barometer.background_questions, background)
    return db.session.get(Participant, participant_id), raw


# The session's state and its barometer's background questions, in one read (a join flood runs this 10,000 times).
_JOIN_INFO = (sa.select(LiveSession.state, BackgroundQuestion.id, BackgroundQuestion.text, BackgroundQuestion.options)
              .outerjoin(BackgroundQuestion, BackgroundQuestion.barometer_id == LiveSession.barometer_id)
              .where(LiveSession.id == sa.bindparam("session_id"))
              .order_by(BackgroundQuestion.position, BackgroundQuestion.id))


def join_by_id(session_id, background=None):
    """The API's join: the raw token of a new participant of the session (see _join)."""
    rows = db.session.execute(_JOIN_INFO, {"session_id": session_id}).all()
    if not rows:
        forget_session_cache()
        raise LiveError(404, "unknown_code", _("Sessionen finns inte längre."))
    questions = [row for row in rows if row.id is not None]
    return _join(session_id, rows[0].state == SessionState.ENDED, questions, background)[1]


def _join(session_id, ended, questions, background):
    """(participant id, raw token). A session takes at most LIVE_MAX_PARTICIPANTS: a venue's phones share one
    address, so this cap, not a per-address limit, is what keeps a join flood from growing a session without
    bound. Written on a connection of its own, in the SQLite file's writing turn (file_turn) like the answers:
    SQLite's own wait would stop every stream of a gevent worker while the other worker writes."""
    if ended:
        raise LiveError(409, "session_ended", _("Sessionen är avslutad. Tack för att du deltog!"))
    check_room(session_id)
    cleaned = clean_background(questions, background)
    # Ends this request's reads (as join always committed), so its session holds no transaction open across
    # the write below, which takes a connection of its own.
    db.session.commit()
    engine = db.engine
    with file_turn(engine), engine.begin() as conn:
        participant_id = conn.execute(_INSERT_PARTICIPANT, {
            "session_id": session_id, "token_hash": secrets.token_hex(32), "background": cleaned,
            "created_at": utcnow()}).scalar_one()
        raw = signed_token(participant_id, session_id)  # the id goes into the token
        conn.execute(_SET_TOKEN, {"participant_id": participant_id, "token_hash": hash_token(raw)})
    return participant_id, raw


_INSERT_PARTICIPANT = sa.insert(Participant).returning(Participant.id)
_SET_TOKEN = (sa.update(Participant).where(Participant.id == sa.bindparam("participant_id"))
              .values(token_hash=sa.bindparam("token_hash")))


_full_until: dict[int, float] = {}
FULL_CACHE_SECONDS = 5


def check_room(session_id):
    """LiveError 409 when the session has its LIVE_MAX_PARTICIPANTS. A full session is remembered in this
    process for a few seconds, so a flood of joins to it costs no count each. Joins in flight at the same
    moment may pass the cap by that many; the cap bounds growth, it is not an exact seat count."""
    cap = int(current_app.config.get("LIVE_MAX_PARTICIPANTS", 20000))
    now = time.monotonic()
    full = _full_until.get(session_id, 0) > now or _counted_participants(session_id, cap, now) >= cap
    if full:
        _full_until[session_id] = now + FULL_CACHE_SECONDS
        raise LiveError(409, "session_full", _("Sessionen är full (högst %(cap)d deltagare). Fråga moderatorn.",
                                               cap=cap))


# session id -> [participants when last counted, joins let in here since, when counted]
_room: dict[int, list] = {}
RECOUNT_SECONDS = 1.0


def _counted_participants(session_id, cap, now):
    """The session's participants as this process knows them: counted at most every RECOUNT_SECONDS, and at
    once when the count plus this process's joins since reaches the cap. Counting on every join made a
    10,000-phone join flood quadratic; other workers' joins of the last second are what the estimate lacks."""
    room = _room.get(session_id)
    if room is None or now - room[2] >= RECOUNT_SECONDS or room[0] + room[1] >= cap:
        room = _room[session_id] = [participant_count(session_id), 0, now]
    room[1] += 1
    return room[0] + room[1] - 1


def forget_full_sessions():
    _full_until.clear()
    _room.clear()


# --- the answer hot path ---------------------------------------------------------
# The code's session and the token's participant come from access.py's per-process caches.


# The whole answer in one statement, valid on SQLite (≥ 3.24) and PostgreSQL alike. INSERT … SELECT
# only yields a row while the session runs, the statement is the current, open one and the value is
# on its scale; ON CONFLICT makes the last answer count. Written as text because SQLAlchemy does not
# cache the compiled form of an INSERT … SELECT … ON CONFLICT, and compiling it on every request
# cost more than the rest of the request together (see tests/bench/barometer_load.py).
ANSWER_UPSERT = text(
    "INSERT INTO barometer_answers (participant_id, statement_id, session_id, value, answered_at) "
    "SELECT :participant_id, st.id, ls.id, CAST(:value AS INTEGER), :now "
    "FROM barometer_sessions AS ls JOIN barometer_statements AS st ON st.id = ls.current_statement_id "
    "WHERE ls.id = :session_id AND st.id = :statement_id AND ls.state = :running AND ls.statement_open = true "
    "AND ((CAST(:value AS INTEGER) IS NULL AND st.allow_dont_know = true) "
    "OR CAST(:value AS INTEGER) BETWEEN 1 AND st.steps) "
    "ON CONFLICT (participant_id, statement_id) "
    "DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at"
).bindparams(bindparam("now", type_=DateTime))


class _Pending:
    __slots__ = ("params", "done", "written", "error")

    def __init__(self, params):
        self.params, self.done, self.written, self.error = params, False, False, None


class GroupCommit:
    """Answers that arrive together are written in one transaction (group commit), in arrival order.

    When a room answers at once, a transaction per answer made every answer pay a commit and, on SQLite,
    a turn at the one write lock (blocking a gevent worker's whole loop while it waited), on PostgreSQL a
    pooled connection of its own. Here a request queues its answer and waits for the process's writing
    turn; whoever holds the turn writes everything queued by then, one upsert each (so each answer still
    learns whether it was stored) and one commit. Alone, an answer is written at once, as before. An
    answer is confirmed only after its commit, so a crash loses nothing that a phone was told was stored."""

    def __init__(self):
        self._turn = threading.Lock()  # one writing transaction at a time in this process
        self._queue_lock = threading.Lock()
        self._queue = []
        self.transactions = 0  # tests read it

    def write(self, engine, params):
        """True when the upsert stored the answer, False when the rule refused it; raises IntegrityError for a
        participant that does not exist, and any database error of the transaction that carried it."""
        item = _Pending(params)
        with self._queue_lock:
            self._queue.append(item)
        with self._turn:
            if not item.done:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._write(engine, batch)
        if item.error is not None:
            raise item.error
        return item.written

    def _write(self, engine, batch):
        try:
            self._transaction(engine, batch)
        except IntegrityError:
            # A participant removed meanwhile must not cost the others their answers: one by one.
            for item in batch:
                try:
                    self._transaction(engine, [item])
                except Exception as exc:  # noqa: BLE001 - handed to the request that sent it
                    item.error = exc
        except Exception as exc:  # noqa: BLE001 - every request of the batch answers with it
            for item in batch:
                item.error = exc
        finally:
            for item in batch:
                item.done = True

    def _transaction(self, engine, items):
        # A bare connection, not the ORM session: nothing here needs an identity map.
        with file_turn(engine), engine.begin() as conn:
            # Rows in one order in every process, so two batches never wait on each other in a circle; the sort
            # is stable, so a participant's later answer still comes last and counts.
            for item in sorted(items, key=lambda i: (i.params["participant_id"], i.params["statement_id"])):
                item.written = conn.execute(ANSWER_UPSERT, item.params).rowcount == 1
        self.transactions += 1


group_commit = GroupCommit()


class _FileTurn:
    """The answers' writing turn between the processes that share one SQLite file, waited for in short sleeps.

    SQLite lets one process write at a time, and its own wait (busy_timeout) sleeps inside the C call: under
    gevent that stops every greenlet of the worker, streams included, for as long as the other worker writes
    (up to hundreds of milliseconds in SQLite's growing steps). An flock taken before the write, polled with
    time.sleep (a greenlet switch under gevent), makes the other worker's answers wait without stopping it."""

    def __init__(self, path):
        self.path = f"{path}-answers.lock"
        self.fd, self.pid = None, None

    def __enter__(self):
        if self.pid != os.getpid():  # a lock file opened before a fork would be shared, not exclusive
            self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        delay = 0.0005
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                time.sleep(delay)
                delay = min(delay * 2, 0.01)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)


_file_turns: dict[str, _FileTurn] = {}


def file_turn(engine):
    """The SQLite file's answer-writing turn (see _FileTurn); nothing to wait for on PostgreSQL or in memory."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return contextlib.nullcontext()
    turn = _file_turns.get(path)
    if turn is None:
        turn = _file_turns.setdefault(path, _FileTurn(path))
    return turn


def parse_value(body):
    """The answer value from a JSON body: an int step, or None for "Vet inte"."""
    if not isinstance(body, dict) or "value" not in body:
        raise LiveError(400, "bad_value", _("Skicka ett svar som {\"value\": stegnummer} eller {\"value\": null}."))
    value = body["value"]
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise LiveError(400, "bad_value", _("Svaret ska vara ett heltal på skalan eller null för ”Vet inte”."))
    return value


# The range of the value column (a 32-bit INTEGER on PostgreSQL).
VALUE_MIN, VALUE_MAX = -(2**31), 2**31 - 1


def _storable(value):
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and VALUE_MIN <= value <= VALUE_MAX)


def submit_answer(code, statement_id, raw_token, value):
    """Store a participant's answer to the open statement: one upsert, last answer counts.

    The checks are inside the one statement (see _answer_upsert), so a concurrent close cannot
    slip in between a check and the write. When nothing was written, _refusal() works out why.
    """
    participant_id, session_id = participant_of_session(code, raw_token)
    if not (0 < statement_id <= VALUE_MAX):
        # An id no row can have (the path takes any integer; 10**30 overflows the database's INTEGER).
        raise LiveError(404, "unknown_statement", _("Påståendet finns inte i den här sessionen."))
    if not _storable(value):
        # Not an integer the database can even compare (10**20 overflows both SQLite and PostgreSQL, a bool
        # would be cast to 0 or 1): it is on no scale, so say why without asking the database.
        raise _refusal(session_id, statement_id, value)
    params = {"participant_id": participant_id, "session_id": session_id, "statement_id": statement_id,
              "value": value, "now": utcnow(), "running": SessionState.RUNNING}
    try:
        written = group_commit.write(db.engine, params)
    except IntegrityError:
        forget_session_cache()
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln är okänd. Gå med i sessionen igen.")) from None
    if not written:
        raise _refusal(session_id, statement_id, value)
    live.channel().answers_arrived(session_id)
    return {"statement_id": statement_id, "value": value}


def _refusal(session_id, statement_id, value):
    session = db.session.get(LiveSession, session_id)
    statement = db.session.get(Statement, statement_id)
    if session is None:
        forget_session_cache()
        return LiveError(404, "unknown_code", _("Sessionen finns inte längre."))
    if statement is None or statement.barometer_id != session.barometer_id:
        return LiveError(404, "unknown_statement", _("Påståendet finns inte i den här sessionen."))
    if not statement.valid_value(value):
        if value is None:
            return LiveError(400, "bad_value", _("”Vet inte” går inte att välja för det här påståendet."))
        return LiveError(400, "bad_value", _("Välj ett värde mellan 1 och %(steps)d.", steps=statement.steps))
    if session.ended:
        return LiveError(409, "session_ended", _("Sessionen är avslutad. Tack för att du deltog!"))
    if session.current_statement_id != statement_id:
        return LiveError(409, "not_current", _("Moderatorn har gått vidare till ett annat påstående."))
    return LiveError(409, "statement_closed", _("Påståendet är stängt. Ditt svar kom för sent."))
