"""The participants' JSON API under /api/v1/live/…: state, joining, answering, results, events."""
from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from core import ratelimit
from core.access import api_user, bearer_token
from core.errors import json_error
from core.extensions import csrf, db, limiter
from core.models import hash_token
from surveys.barometer import answering, results, sessions, streams
from surveys.barometer.access import (
    can_see_results,
    get_session_by_code_or_404,
    normalise_code,
    participant_id_in,
)
from surveys.barometer.models import LiveError, LiveSession
from surveys.barometer.openapi import document

bp = Blueprint("barometer_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


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


@bp.get("/live/<code>")
@limiter.limit(_limit("LIVE_READ_LIMIT", "120 per minute"), key_func=token_or_ip)
def state(code):
    session = get_session_by_code_or_404(code)
    return sessions.session_state(session, participant_id=participant_id_in(session, bearer_token()))


@bp.post("/live/<code>/join")
@limiter.limit(_limit("LIVE_JOIN_LIMIT", "300 per minute"), key_func=get_remote_address)
def join(code):
    session = get_session_by_code_or_404(code)
    body = request.get_json(silent=True)
    if body is None and request.content_length:
        raise LiveError(400, "bad_json", _("Skicka JSON, till exempel {\"background\": {}}."))
    body = body or {}
    if not isinstance(body, dict) or not isinstance(body.get("background", {}), dict | None):
        raise LiveError(400, "bad_background", _("Bakgrundssvaren ska vara ett objekt: {\"fråge-id\": \"värde\"}."))
    _participant, token = answering.join(session, body.get("background"))
    return {"participant_token": token}, 201


@bp.put("/live/<code>/statements/<int:statement_id>/answer")
@limiter.exempt  # the hot path: limited below with one lean check on the same storage
def answer(code, statement_id):
    if not ratelimit.hit("LIVE_ANSWER_LIMIT", "30 per 10 seconds", "live-answer", token_or_ip()):
        raise LiveError(429, "rate_limited", _("För många svar på kort tid. Vänta en stund och försök igen."))
    normal = normalise_code(code)
    if normal is None:
        raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code[:12]))
    token = bearer_token()
    if not token:
        raise LiveError(401, "missing_token", _("Deltagarnyckel saknas. Gå med i sessionen först."))
    value = answering.parse_value(request.get_json(silent=True))
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
@limiter.limit(_limit("LIVE_STREAM_LIMIT", "600 per minute"), key_func=get_remote_address)
def events(code):
    session = get_session_by_code_or_404(code)
    if not streams.try_acquire_phone_stream():
        body, status = json_error(503, "busy", _("Servern har många öppna anslutningar. Sidan frågar i stället."))
        return body, status, {"Retry-After": "20"}
    session_id = session.id

    def load():
        return sessions.session_state(db.session.get(LiveSession, session_id))

    return streams.phone_stream(session_id, load)


@bp.get("/openapi.json")
def openapi():
    return document(request.host_url.rstrip("/"))
