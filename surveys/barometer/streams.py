"""Server-Sent Events for phones and the presenter.

A phone stream costs no thread and no database read: under gunicorn's gevent worker it is a
greenlet, and it only copies the bytes its session's Board (broadcast.py) serialised once for every
phone of this process. There the board even writes them to each phone's socket itself, one
non-blocking send per phone, and the stream's greenlet sleeps (direct_socket, broadcast.Direct).
Where a stream would hold a thread of a fixed pool (gunicorn's gthread or sync workers), streams are
refused and the pages poll instead, because a few dozen streams would otherwise take every thread and
the whole site would stop answering (issue 10). Streams last about
LIVE_STREAM_SECONDS (spread out, so phones do not all reconnect at once) and the browser reconnects
by itself.
"""
import json
import random
import threading
import time

import gevent.socket
from flask import Response, current_app, request, stream_with_context
from gevent import monkey

from core.extensions import db
from surveys.barometer import live
from surveys.barometer.broadcast import KEEPALIVE_SECONDS, Direct

_open_lock = threading.Lock()
_open_phone_streams = 0


def _event(name, data):
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'), default=str)}\n\n"


def sse_response(body):
    response = Response(body, mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache, no-transform"
    response.headers["X-Accel-Buffering"] = "no"  # nginx must not buffer the stream
    return response


def _config(key, default):
    return float(current_app.config.get(key, default))


def streams_are_cheap(environ=None):
    """True where an open stream does not hold one thread of a fixed pool.

    gevent (gunicorn -k gevent: every request a greenlet) and Werkzeug's threaded development server
    (a new thread per request) qualify; gunicorn's gthread and sync workers do not."""
    if monkey.is_module_patched("socket") or current_app.testing:  # the test client: one request at a time
        return True
    environ = environ if environ is not None else request.environ
    return environ.get("SERVER_SOFTWARE", "").startswith("Werkzeug") and bool(environ.get("wsgi.multithread"))


def try_acquire_phone_stream():
    global _open_phone_streams
    if not streams_are_cheap():
        return False
    with _open_lock:
        if _open_phone_streams >= int(current_app.config.get("LIVE_MAX_STREAMS", 20000)):
            return False
        _open_phone_streams += 1
        return True


def release_phone_stream():
    global _open_phone_streams
    with _open_lock:
        _open_phone_streams = max(0, _open_phone_streams - 1)


def open_phone_streams():
    return _open_phone_streams


def _lifetime():
    # Spread over ±20 %, so that thousands of phones that connected together do not all reconnect together.
    return _config("LIVE_STREAM_SECONDS", 300) * random.uniform(0.8, 1.2)


def direct_socket(environ):
    """(gevent socket, its non-blocking socket, chunked) where the board may write this stream's events
    itself, else None. Only under gunicorn's gevent worker on plain TCP: gunicorn has sent the headers and
    writes nothing of its own until the body ends, framing an HTTP/1.1 body of unknown length in chunks
    (gunicorn.http.wsgi.Response.is_chunked) and an HTTP/1.0 one not at all. A TLS socket (gunicorn
    --certfile) is a subclass and never qualifies: its bytes must go through TLS."""
    sock = environ.get("gunicorn.socket")
    if (type(sock) is not gevent.socket.socket or not monkey.is_module_patched("socket")
            or str(current_app.config.get("LIVE_DIRECT_WRITES", "1")).lower() in ("0", "false", "no", "off")
            or not environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/") or environ.get("REQUEST_METHOD") != "GET"):
        return None
    raw = getattr(sock, "_sock", None)
    if raw is None or raw.gettimeout() != 0.0:
        return None
    return sock, raw, environ.get("SERVER_PROTOCOL") != "HTTP/1.0"


def _follow_direct(board, stream, seq, deadline):
    """A direct stream's greenlet: it sleeps while the board writes its events and keepalives (Board.push,
    Board.keep_alive), and wakes to finish what the board could not, and when its time is up."""
    board.direct.add(stream)
    try:
        if board.seq != seq:  # changed while the first event was being written
            stream.behind = True
        while not stream.dead:
            stream.catch_up(board)
            left = deadline - time.monotonic()
            if stream.dead or left <= 0:
                break
            stream.wake.wait(left)
            stream.wake.clear()
    finally:
        board.direct.discard(stream)
    stream.catch_up(board)  # a partial event must be completed before gunicorn ends the body


def phone_stream(board):
    """State events for participants' phones: the board's bytes, the same object for every phone."""
    lifetime = _lifetime()
    retry_ms = random.randint(1000, 3000)  # the browser's reconnect delay, spread out too
    direct = direct_socket(request.environ)

    def generate():
        board.attach()
        try:
            yield f"retry: {retry_ms}\n\n".encode()
            seq, event = board.current[:2]
            yield event
            deadline = time.monotonic() + lifetime
            if direct is not None:
                # gunicorn wrote both (headers first) before asking for more: from here the board writes.
                _follow_direct(board, Direct(*direct), seq, deadline)
                return
            while (left := deadline - time.monotonic()) > 0:
                if board.wait(seq, min(KEEPALIVE_SECONDS, left)):
                    seq, event = board.current[:2]
                    yield event
                else:
                    yield b": keepalive\n\n"
        finally:
            board.detach()

    response = sse_response(generate())
    # Runs even when the client leaves before the generator started.
    response.call_on_close(release_phone_stream)
    return response


def presenter_stream(session_id, load_state, load_counts):
    """State and exact counts for the presenter: recounted from the database at most every
    LIVE_RECOUNT_SECONDS while answers arrive, so the numbers are final shortly after the last one.
    With no event it still looks every LIVE_PRESENTER_IDLE_SECONDS: without Redis, a moderator action
    or answers handled by another worker send this process no event. One presenter, a few reads a second."""
    debounce = _config("LIVE_RECOUNT_SECONDS", 0.25)
    idle = _config("LIVE_PRESENTER_IDLE_SECONDS", 1.0)
    lifetime = _lifetime()

    def generate():
        sub = live.channel().subscribe(session_id, kinds=("state", "answers"))
        try:
            yield "retry: 1000\n\n"
            state = load_state()
            yield _event("state", state)
            counts = load_counts()
            db.session.remove()
            yield _event("counts", counts)
            last_count = last_sent = time.monotonic()
            dirty = False
            deadline = last_count + lifetime
            while time.monotonic() < deadline:
                now = time.monotonic()
                timeout = max(0.0, last_count + debounce - now) if dirty else idle
                event = sub.get(timeout)
                events = ([event] if event else []) + sub.drain()
                look = not events and not dirty
                if look or any(e.get("kind") == "state" for e in events):
                    fresh = load_state()
                    if fresh != state:
                        state, last_sent = fresh, time.monotonic()
                        yield _event("state", state)
                if look or events:
                    dirty = True
                if dirty and time.monotonic() - last_count >= debounce:
                    fresh = load_counts()
                    last_count = time.monotonic()
                    dirty = False
                    if fresh != counts:
                        counts, last_sent = fresh, time.monotonic()
                        yield _event("counts", counts)
                db.session.remove()
                if time.monotonic() - last_sent > KEEPALIVE_SECONDS:
                    last_sent = time.monotonic()
                    yield ": keepalive\n\n"
        finally:
            sub.close()
            db.session.remove()

    return sse_response(stream_with_context(generate()))
