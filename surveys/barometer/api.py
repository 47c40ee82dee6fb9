"""The participants' JSON API under /api/v1/live/…: state, joining, answering, results, events."""
from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from core import ratelimit
from core.access import api_user, bearer_token
from core.extensions import csrf, db, limiter
from core.models import hash_token
from surveys.barometer import services, streams
from surveys.barometer.models import LiveSession
from surveys.barometer.services import LiveError

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
    return jsonify(exc.as_json()), exc.status


def _session_or_404(code):
    normal = services.normalise_code(code)
    session = services.get_session_by_code(normal) if normal else None
    if session is None:
        raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code[:12]))
    return session


def _participant_id(session):
    """The caller's participant id if it sent a valid token of this session; else None."""
    token = bearer_token()
    if not token:
        return None
    try:
        participant_id, session_id = services.participant_for_token(token)
    except LiveError:
        return None
    return participant_id if session_id == session.id else None


@bp.get("/live/<code>")
@limiter.limit(_limit("LIVE_READ_LIMIT", "120 per minute"), key_func=token_or_ip)
def state(code):
    session = _session_or_404(code)
    return jsonify(services.session_state(session, participant_id=_participant_id(session)))


@bp.post("/live/<code>/join")
@limiter.limit(_limit("LIVE_JOIN_LIMIT", "300 per minute"), key_func=get_remote_address)
def join(code):
    session = _session_or_404(code)
    body = request.get_json(silent=True)
    if body is None and request.content_length:
        raise LiveError(400, "bad_json", _("Skicka JSON, till exempel {\"background\": {}}."))
    body = body or {}
    if not isinstance(body, dict) or not isinstance(body.get("background", {}), dict | None):
        raise LiveError(400, "bad_background", _("Bakgrundssvaren ska vara ett objekt: {\"fråge-id\": \"värde\"}."))
    _participant, token = services.join(session, body.get("background"))
    return jsonify({"participant_token": token}), 201


@bp.put("/live/<code>/statements/<int:statement_id>/answer")
@limiter.exempt  # the hot path: limited below with one lean check on the same storage
def answer(code, statement_id):
    if not ratelimit.hit("LIVE_ANSWER_LIMIT", "30 per 10 seconds", "live-answer", token_or_ip()):
        raise LiveError(429, "rate_limited", _("För många svar på kort tid. Vänta en stund och försök igen."))
    normal = services.normalise_code(code)
    if normal is None:
        raise LiveError(404, "unknown_code", _("Det finns ingen session med koden %(code)s.", code=code[:12]))
    token = bearer_token()
    if not token:
        raise LiveError(401, "missing_token", _("Deltagarnyckel saknas. Gå med i sessionen först."))
    value = services.parse_value(request.get_json(silent=True))
    return jsonify(services.submit_answer(normal, statement_id, token, value))


@bp.get("/live/<code>/results")
@limiter.limit(_limit("LIVE_READ_LIMIT", "120 per minute"), key_func=token_or_ip)
def results(code):
    session = _session_or_404(code)
    user = api_user()
    if user is not None and session.barometer.can_manage(user):
        return jsonify(services.results_json(session))
    if session.results_shown:
        # In the room, showing results reveals the current statement; after the session, all of them.
        return jsonify(services.results_json(session, only_current=not session.ended))
    if user is None:
        raise LiveError(401, "unauthorized",
                        _("Resultaten visas för moderatorn tills de visas för alla. Logga in eller använd en API-nyckel."))
    raise LiveError(403, "forbidden", _("Bara sessionens moderator kan se resultaten innan de visas."))


@bp.get("/live/<code>/events")
@limiter.limit(_limit("LIVE_STREAM_LIMIT", "600 per minute"), key_func=get_remote_address)
def events(code):
    session = _session_or_404(code)
    if not streams.try_acquire_phone_stream():
        response = jsonify({"error": "busy", "message": _("Servern har många öppna anslutningar. Sidan frågar i stället.")})
        response.headers["Retry-After"] = "20"
        return response, 503
    session_id = session.id

    def load():
        return services.session_state(db.session.get(LiveSession, session_id))

    return streams.phone_stream(session_id, load)


@bp.get("/openapi.json")
def openapi():
    from surveys.barometer.openapi import document

    return jsonify(document(request.host_url.rstrip("/")))
