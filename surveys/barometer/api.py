"""The participants' JSON API under /api/v1/live/…: state, joining, answering, results, events.

The phones' paths (state, join, answer, events) are limited by core.ratelimit's per-process counters,
not Flask-Limiter's decorators: at venue scale one Redis round trip per request was the bottleneck, and
Redis being down must not stop a room from answering. A whole venue shares one address, so nothing
on these paths limits an address except failed code lookups (guessing) and a generous join ceiling;
a session is protected by its participant cap instead (answering.join). See README, "What protects what".
"""
from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import BadRequest

from core import ratelimit
from core.access import api_user, bearer_token
from core.errors import json_error
from core.extensions import csrf, limiter
from core.models import hash_token
from surveys.barometer import answering, results, sessions, streams
from surveys.barometer.access import (
    can_see_results,
    get_session_by_code_or_404,
    normalise_code,
    participant_for_token,
    session_id_for_code,
)
from surveys.barometer.broadcast import broadcaster
from surveys.barometer.models import LiveError, SessionState
from surveys.barometer.openapi import document

bp = Blueprint("barometer_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


PHONE_PATHS = set()


def phone_path(view):
    """Mark a phone's path (state, join, answer, events): limited by core.ratelimit's per-process counters,
    so Flask-Limiter skips it altogether; its per-request bookkeeping cost ~12 % of an answer's CPU."""
    PHONE_PATHS.add(f"{bp.name}.{view.__name__}")
    return view


@limiter.request_filter
def _is_phone_path():
    return request.endpoint in PHONE_PATHS


def _limit(key, default):
    return lambda: current_app.config.get(key, default)


def token_or_ip():
    """Rate-limit key: the participant's token when it sends one, else its address.

    Phones at a venue often share one public address, so per-token keys keep one flooding
    phone from using up the limit of everyone behind the same network."""
    token = bearer_token()
    return "t:" + hash_token(token)[:32] if token else "ip:" + (get_remote_address() or "")


@bp.errorhandler(LiveError)
def live_error(exc):
    return exc.to_json()


def _rate_limited():
    return LiveError(429, "rate_limited", _("För många försök på kort tid. Vänta en stund och försök igen."))


def _unknown(code):
    return LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code[:12]))


def _session_id_or_404(code):
    """The session id for a code, from the per-process cache; a miss counts against the caller's
    address (LIVE_CODE_MISS_LIMIT), so codes cannot be found by trying them all."""
    address = "ip:" + (get_remote_address() or "")
    if not ratelimit.allowed("LIVE_CODE_MISS_LIMIT", "300 per minute", "live-miss", address):
        raise _rate_limited()
    normal = normalise_code(code)
    try:
        if normal is None:
            raise _unknown(code)
        return session_id_for_code(normal)
    except LiveError:
        ratelimit.hit("LIVE_CODE_MISS_LIMIT", "300 per minute", "live-miss", address)
        raise _unknown(code) from None


def _participant_id(session_id):
    """The caller's participant id if it sent a valid token of this session; else None."""
    token = bearer_token()
    if not token:
        return None
    try:
        participant_id, token_session = participant_for_token(token)
    except LiveError:
        return None
    return participant_id if token_session == session_id else None


@bp.get("/live/<code>")
@phone_path  # a phone's poll: limited per token in this process, see the module's docstring
def state(code):
    if not ratelimit.hit("LIVE_READ_LIMIT", "120 per minute", "live-read", token_or_ip()):
        raise _rate_limited()
    board = broadcaster().board(_session_id_or_404(code))
    _seq, _event, body, etag, shared = board.current
    if not body:
        raise _unknown(code)
    participant_id = _participant_id(board.session_id)
    # The ETag covers what every phone shares; a phone keeps its own answer, so a 304 loses nothing.
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    elif participant_id is None:
        response = Response(body, mimetype="application/json")
    else:
        statement = shared.get("statement")
        mine = sessions.my_answer(participant_id, statement["id"]) if statement else None
        response = current_app.json.response(dict(shared, my_answer=mine))
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response


NO_BODY = object()


def json_body(example):
    """The request's JSON, or NO_BODY when it sent none. Anything that is not JSON is a 400 JSON error, whatever
    its shape: a parser error, 100,000 nested brackets (RecursionError) or another content type."""
    if not request.get_data(cache=True):
        return NO_BODY
    # The message is translated only when it is needed: on the answer path a translation call cost more
    # than the database write (issue 10).
    if request.is_json:
        try:
            return request.get_json()
        except (BadRequest, RecursionError, ValueError):
            pass
    raise LiveError(400, "bad_json", _("Skicka JSON, till exempel %(example)s.", example=example))


@bp.post("/live/<code>/join")
@phone_path
def join(code):
    if not ratelimit.hit("LIVE_JOIN_LIMIT", "20000 per 5 minutes", "live-join", "ip:" + (get_remote_address() or "")):
        raise _rate_limited()
    session_id = _session_id_or_404(code)
    board = broadcaster().board(session_id)
    if board.current[4].get("state") == SessionState.ENDED:
        raise LiveError(409, "session_ended", _("Sessionen är avslutad. Tack för att du deltog!"))
    body = json_body('{"background": {}}')
    if body is NO_BODY:
        body = {}
    # As the OpenAPI document says: an object (so `false`, `[]` or `0` is refused), background an object or null.
    if not isinstance(body, dict):
        raise LiveError(400, "bad_json", _("Skicka ett JSON-objekt, till exempel %(example)s.",
                                           example='{"background": {}}'))
    if not isinstance(body.get("background", {}), dict | None):
        raise LiveError(400, "bad_background", _("Bakgrundssvaren ska vara ett objekt: {\"fråge-id\": \"värde\"}."))
    token = answering.join_by_id(session_id, body.get("background"))
    return {"participant_token": token}, 201


@bp.put("/live/<code>/statements/<int:statement_id>/answer")
@phone_path  # the hot path: limited below with one lean check in this process
def answer(code, statement_id):
    if not ratelimit.hit("LIVE_ANSWER_LIMIT", "30 per 10 seconds", "live-answer", token_or_ip()):
        raise LiveError(429, "rate_limited", _("För många svar på kort tid. Vänta en stund och försök igen."))
    normal = normalise_code(code)
    if normal is None:
        raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code[:12]))
    token = bearer_token()
    if not token:
        raise LiveError(401, "missing_token", _("Deltagarnyckel saknas. Gå med i sessionen först."))
    body = json_body('{"value": 3}')
    value = answering.parse_value(None if body is NO_BODY else body)
    return answering.submit_answer(normal, statement_id, token, value)


@bp.get("/live/<code>/results", endpoint="results")
@limiter.limit(_limit("LIVE_READ_LIMIT", "120 per minute"), key_func=token_or_ip)
def results_json(code):
    session = get_session_by_code_or_404(code)
    user = api_user()
    if user is not None and session.barometer.can_manage(user):
        return results.results_json(session)
    if can_see_results(session, user):
        # In the room, showing results reveals the current statement; after the session, all of them.
        return results.results_json(session, only_current=not session.ended)
    if user is None:
        raise LiveError(401, "unauthorized",
                        _("Resultaten visas för moderatorn tills de visas för alla. Logga in eller använd en API-nyckel."))
    raise LiveError(403, "forbidden", _("Bara sessionens moderator kan se resultaten innan de visas."))


@bp.get("/live/<code>/events")
@phone_path  # every phone of a venue reconnects from one address: no per-address limit here
def events(code):
    board = broadcaster().board(_session_id_or_404(code))
    if not board.current[2]:
        raise _unknown(code)
    if not streams.try_acquire_phone_stream():
        body, status = json_error(503, "busy", _("Servern har många öppna anslutningar. Sidan frågar i stället."))
        return body, status, {"Retry-After": "20"}
    return streams.phone_stream(board)


@bp.get("/openapi.json")
def openapi():
    return document(request.host_url.rstrip("/"))
