"""Answering: a participant joins a session with a join code and answers the open statement.

submit_answer is the hot path of a conference (hundreds of phones within seconds): one SQL upsert
that holds the whole rule of a valid answer (see ANSWER_UPSERT and LiveSession.accepts_answer)."""
import secrets
import threading
import time

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.models import hash_token, utcnow
from surveys.barometer import live
from surveys.barometer.access import forget_session_cache, participant_of_session, signed_token
from surveys.barometer.models import LiveError, LiveSession, Participant, SessionState, Statement
from surveys.barometer.results import participant_count


def clean_background(barometer, answers):
    """Keep only known questions and options; anything else is "Vill inte svara"."""
    answers = answers if isinstance(answers, dict) else {}
    # Every value is an option's value or null, as the OpenAPI document says, whatever the question.
    if any(value is not None and not isinstance(value, str) for value in answers.values()):
        raise LiveError(400, "bad_background",
                        _("Bakgrundssvaren ska vara text eller null: {\"fråge-id\": \"värde\"}."))
    cleaned = {}
    for question in barometer.background_questions:
        value = answers.get(str(question.id), answers.get(question.id))
        if value is not None and question.option_label(value) is None:
            raise LiveError(400, "bad_background",
                            _("Svaret på frågan ”%(question)s” finns inte bland alternativen.",
                              question=question.text))
        cleaned[str(question.id)] = value
    return cleaned


def join(session, background=None):
    """Create an anonymous participant; returns (participant, raw token). The token is shown once.

    A session takes at most LIVE_MAX_PARTICIPANTS: a venue's phones share one address, so this cap,
    not a per-address limit, is what keeps a join flood from growing a session without bound."""
    if session.ended:
        raise LiveError(409, "session_ended", _("Sessionen är avslutad. Tack för att du deltog!"))
    check_room(session)
    participant = Participant(session_id=session.id, token_hash=secrets.token_hex(32),
                              background=clean_background(session.barometer, background))
    db.session.add(participant)
    db.session.flush()  # the id goes into the token
    raw = signed_token(participant.id, session.id)
    participant.token_hash = hash_token(raw)
    db.session.commit()
    return participant, raw


def join_by_id(session_id, background=None):
    session = db.session.get(LiveSession, session_id)
    if session is None:
        forget_session_cache()
        raise LiveError(404, "unknown_code", _("Sessionen finns inte längre."))
    return join(session, background)


_full_until: dict[int, float] = {}
FULL_CACHE_SECONDS = 5


def check_room(session):
    """LiveError 409 when the session has its LIVE_MAX_PARTICIPANTS. A full session is remembered in this
    process for a few seconds, so a flood of joins to it costs no count each. Joins in flight at the same
    moment may pass the cap by that many; the cap bounds growth, it is not an exact seat count."""
    cap = int(current_app.config.get("LIVE_MAX_PARTICIPANTS", 20000))
    now = time.monotonic()
    full = _full_until.get(session.id, 0) > now or _counted_participants(session, cap, now) >= cap
    if full:
        _full_until[session.id] = now + FULL_CACHE_SECONDS
        raise LiveError(409, "session_full", _("Sessionen är full (högst %(cap)d deltagare). Fråga moderatorn.",
                                               cap=cap))


# session id -> [participants when last counted, joins let in here since, when counted]
_room: dict[int, list] = {}
RECOUNT_SECONDS = 1.0


def _counted_participants(session, cap, now):
    """The session's participants as this process knows them: counted at most every RECOUNT_SECONDS, and at
    once when the count plus this process's joins since reaches the cap. Counting on every join made a
    10,000-phone join flood quadratic; other workers' joins of the last second are what the estimate lacks."""
    room = _room.get(session.id)
    if room is None or now - room[2] >= RECOUNT_SECONDS or room[0] + room[1] >= cap:
        room = _room[session.id] = [participant_count(session), 0, now]
    room[1] += 1
    return room[0] + room[1] - 1


def forget_full_sessions():
    _full_until.clear()
    _room.clear()


# --- the answer hot path ---------------------------------------------------------
# The code's session and the token's participant come from access.py's per-process caches.

# SQLite allows one writer at a time; letting every thread of a process poll its file lock
# (busy_timeout sleeps in growing steps) costs far more than queueing on a lock in the process.
_sqlite_write_lock = threading.Lock()

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
    engine = db.engine
    try:
        # A bare connection, not the ORM session: nothing here needs an identity map.
        if engine.dialect.name == "sqlite":
            with _sqlite_write_lock, engine.begin() as conn:
                written = conn.execute(ANSWER_UPSERT, params).rowcount
        else:
            with engine.begin() as conn:
                written = conn.execute(ANSWER_UPSERT, params).rowcount
    except IntegrityError:
        forget_session_cache()
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln är okänd. Gå med i sessionen igen.")) from None
    if written != 1:
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
