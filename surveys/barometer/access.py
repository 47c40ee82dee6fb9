"""One lookup helper per barometer resource: each checks who asks, so no view or API call forgets it."""
import hashlib
import hmac
import secrets
import threading
import time

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _

from core.extensions import db, login_manager
from core.models import Role, hash_token
from surveys.barometer.models import (
    JOIN_CODE_LENGTH,
    BackgroundQuestion,
    Barometer,
    Evaluation,
    LiveError,
    LiveSession,
    Participant,
    Statement,
)

# --- the moderator's pages ------------------------------------------------------------


def get_barometer_or_404(barometer_id, for_user):
    barometer = db.session.get(Barometer, barometer_id)
    if barometer is None:
        abort(404)
    if not barometer.can_manage(for_user):
        abort(403)
    return barometer


def get_statement_or_404(barometer, statement_id):
    """A statement of a barometer the caller already got through get_barometer_or_404."""
    statement = db.session.get(Statement, statement_id)
    if statement is None or statement.barometer_id != barometer.id:
        abort(404)
    return statement


def get_question_or_404(barometer, question_id):
    """A background question of a barometer the caller already got through get_barometer_or_404."""
    question = db.session.get(BackgroundQuestion, question_id)
    if question is None or question.barometer_id != barometer.id:
        abort(404)
    return question


def get_session_or_404(session_id, for_user, public_if_shown=False):
    """The live session, for its barometer's owner or an administrator; with public_if_shown,
    also for anyone once the moderator has published the results of an ended session."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        abort(404)
    if session.barometer.can_manage(for_user):
        return session
    if public_if_shown and session.ended and session.results_shown:
        return session
    if not for_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)


def get_evaluation_or_404(evaluation_id, for_user):
    """A meeting's evaluation, for any moderator (those who organise meetings), not only its barometer's owner:
    a meeting has several organisers, and the results are theirs to follow up."""
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None:
        abort(404)
    if not (for_user.is_authenticated and for_user.has_role(Role.MODERATOR)):
        abort(403)
    return evaluation


# --- join codes: anyone in the room holds one ---------------------------------------------

def normalise_code(code):
    code = "".join((code or "").split()).upper()
    return code if len(code) == JOIN_CODE_LENGTH and code.isalnum() and code.isascii() else None


def get_session_by_code(code):
    """The session with this join code, or None: the code is the key, so there is nothing more to check."""
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(sa.select(LiveSession).where(LiveSession.code == code))


def get_session_by_code_or_404(code):
    """The API's lookup: the session, or LiveError 404 in the API's JSON shape."""
    session = get_session_by_code(code)
    if session is None:
        raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=(code or "")[:12]))
    return session


def can_see_results(session, user):
    """The session's moderator always; anyone else only once the moderator shows the results."""
    return session.barometer.can_manage(user) or session.results_shown


# --- participant tokens -------------------------------------------------------------------
# A few small per-process caches keep the answer PUT to one upsert statement. The cached facts never
# change (a code's session id, a token's participant) except by deletion, which the upsert's
# join notices anyway.

_cache_lock = threading.Lock()
_lookup_lock = threading.Lock()  # one database lookup of a missing code at a time in this process
_code_cache: dict[str, tuple[int, float]] = {}
_participant_cache: dict[str, tuple[int, int]] = {}
CODE_CACHE_SECONDS = 30
PARTICIPANT_CACHE_SIZE = 50_000


def forget_session_cache(code=None):
    with _cache_lock:
        if code is None:
            _code_cache.clear()
            _participant_cache.clear()
        else:
            _code_cache.pop(code, None)


def session_id_for_code(code):
    """The session id of a normalised code, cached; LiveError 404 for an unknown code."""
    hit = _code_cache.get(code)
    if hit and hit[1] > time.monotonic():
        return hit[0]
    # When the entry expires, a thousand answers in flight miss it together: one of them looks it up and the
    # others wait for that (with 10,000 phones every request reading it at once took every pooled
    # connection, and the answers' own writer then waited for one until it timed out).
    with _lookup_lock:
        hit = _code_cache.get(code)
        if hit and hit[1] > time.monotonic():
            return hit[0]
        session_id = _read_one(sa.select(LiveSession.id).where(LiveSession.code == code))
        if session_id is None:
            raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code))
        with _cache_lock:
            _code_cache[code] = (session_id[0], time.monotonic() + CODE_CACHE_SECONDS)
        return session_id[0]


def _read_one(statement):
    """The first row of a read on a connection of its own, given back to the pool at once: a request on the
    answer path must not hold a pooled connection while it waits for its turn to write."""
    with db.engine.connect() as conn:
        return conn.execute(statement).first()


def _signature(body):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"barometer-participant:" + body.encode(), hashlib.sha256).hexdigest()[:32]


def signed_token(participant_id, session_id):
    """<participant>.<session>.<random>.<HMAC>: the answer path can trust it without a lookup.

    Only its hash is stored, as for any token; a deleted participant is caught by the upsert's
    foreign key. Rotating SECRET_KEY makes phones join again (they do so by themselves)."""
    body = f"{participant_id}.{session_id}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_signature(body)}"


def _verify_signed_token(raw):
    parts = raw.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    body = ".".join(parts[:3])
    if not hmac.compare_digest(parts[3], _signature(body)):
        return None
    return int(parts[0]), int(parts[1])


def participant_for_token(raw):
    """(participant id, session id) for a raw participant token, or LiveError 401."""
    if not raw:
        raise LiveError(401, "missing_token", _("Deltagarnyckel saknas. Gå med i sessionen först."))
    signed = _verify_signed_token(raw)
    if signed:
        return signed
    token_hash = hash_token(raw)
    hit = _participant_cache.get(token_hash)
    if hit:
        return hit
    row = _read_one(sa.select(Participant.id, Participant.session_id).where(Participant.token_hash == token_hash))
    if row is None:
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln är okänd. Gå med i sessionen igen."))
    with _cache_lock:
        if len(_participant_cache) >= PARTICIPANT_CACHE_SIZE:
            _participant_cache.clear()
        _participant_cache[token_hash] = (row[0], row[1])
    return row[0], row[1]


def participant_id_in(session, raw):
    """The caller's participant id if it sent a valid token of this session; else None."""
    if not raw:
        return None
    try:
        participant_id, session_id = participant_for_token(raw)
    except LiveError:
        return None
    return participant_id if session_id == session.id else None


def participant_of_session(code, raw):
    """(participant id, session id) for the answer path: the code's session and a token of that session."""
    session_id = session_id_for_code(code)
    participant_id, participant_session = participant_for_token(raw)
    if participant_session != session_id:
        raise LiveError(401, "unknown_token", _("Deltagarnyckeln hör inte till den här sessionen."))
    return participant_id, session_id
