"""Server-Sent Events for phones and the presenter, fed by the live channel.

Each open stream holds one worker thread (gunicorn's gthread worker), so phone streams are capped
per process (LIVE_MAX_STREAMS) and last at most LIVE_STREAM_SECONDS before the browser reconnects
by itself; a phone refused a stream polls the JSON API instead. The presenter's stream is never
refused. Streams read the truth from the database on every event and release their connection
in between, so they hold no transaction open.
"""
import json
import threading
import time

from flask import Response, current_app, stream_with_context

from core.extensions import db
from surveys.barometer import live

KEEPALIVE_SECONDS = 15.0
_open_lock = threading.Lock()
_open_phone_streams = 0


def _event(name, data):
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def sse_response(generator):
    response = Response(stream_with_context(generator), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache, no-transform"
    response.headers["X-Accel-Buffering"] = "no"  # nginx must not buffer the stream
    return response


def _config(key, default):
    return float(current_app.config.get(key, default))


def try_acquire_phone_stream():
    global _open_phone_streams
    with _open_lock:
        if _open_phone_streams >= int(current_app.config.get("LIVE_MAX_STREAMS", 24)):
            return False
        _open_phone_streams += 1
        return True


def release_phone_stream():
    global _open_phone_streams
    with _open_lock:
        _open_phone_streams = max(0, _open_phone_streams - 1)


def phone_stream(session_id, load_state):
    """State events for a participant's phone. load_state() → dict read fresh from the database."""
    lifetime = _config("LIVE_STREAM_SECONDS", 300)

    def generate():
        sub = live.channel().subscribe(session_id, kinds=("state",))
        try:
            yield "retry: 1000\n\n"
            state = load_state()
            db.session.remove()
            yield _event("state", state)
            deadline = time.monotonic() + lifetime
            while time.monotonic() < deadline:
                # While results are shown, late answers still move them: refresh every 2 s.
                timeout = 2 if state.get("results_shown") else KEEPALIVE_SECONDS
                event = sub.get(timeout)
                if event is None and not state.get("results_shown"):
                    yield ": keepalive\n\n"
                    continue
                sub.drain()
                fresh = load_state()
                db.session.remove()
                if fresh != state:
                    state = fresh
                    yield _event("state", state)
                elif event is None:
                    yield ": keepalive\n\n"
        finally:
            sub.close()
            db.session.remove()

    response = sse_response(generate())
    # Runs even when the client leaves before the generator started.
    response.call_on_close(release_phone_stream)
    return response


def presenter_stream(session_id, load_state, load_counts):
    """State and exact counts for the presenter: recounted from the database at most every
    LIVE_RECOUNT_SECONDS while answers arrive, so the numbers are final shortly after the last one."""
    debounce = _config("LIVE_RECOUNT_SECONDS", 0.25)
    lifetime = _config("LIVE_STREAM_SECONDS", 300)

    def generate():
        sub = live.channel().subscribe(session_id, kinds=("state", "answers"))
        try:
            yield "retry: 1000\n\n"
            yield _event("state", load_state())
            counts = load_counts()
            db.session.remove()
            yield _event("counts", counts)
            last_count = time.monotonic()
            dirty = False
            deadline = last_count + lifetime
            while time.monotonic() < deadline:
                now = time.monotonic()
                timeout = max(0.0, last_count + debounce - now) if dirty else KEEPALIVE_SECONDS
                event = sub.get(timeout)
                events = ([event] if event else []) + sub.drain()
                if any(e.get("kind") == "state" for e in events):
                    yield _event("state", load_state())
                    dirty = True
                if any(e.get("kind") == "answers" for e in events):
                    dirty = True
                if dirty and time.monotonic() - last_count >= debounce:
                    fresh = load_counts()
                    last_count = time.monotonic()
                    dirty = False
                    if fresh != counts:
                        counts = fresh
                        yield _event("counts", counts)
                    db.session.remove()
                elif not events and not dirty:
                    yield ": keepalive\n\n"
        finally:
            sub.close()
            db.session.remove()

    return sse_response(generate())
