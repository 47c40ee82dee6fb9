"""One phone state per live session and process, computed once per change and shared by every phone.

A conference hall holds thousands of phones following one session. Reading the state from the
database for each of them on every change is what made them fall behind (issue 10), so each process
keeps a Board per followed session: the state, serialised once into the exact bytes of the SSE event
and of the poll's JSON body, with a weak ETag. Every stream and every poll of that session in this
process gets those same bytes; none reads the database.

A Board learns of a change in two ways:
- the live channel's events (in-process, or Redis pub/sub with REDIS_URL): fast, but best effort;
- one watcher thread per process (a greenlet under gevent) that reads the followed sessions'
  `version` column every LIVE_WATCH_SECONDS. That makes several workers without Redis, a Redis
  outage and a lost event all correct by default: a change reaches every phone within that time.
While a session's results are shown, late answers move them without a version bump, so such
sessions are re-read at most every LIVE_RESULTS_SECONDS (at once when an "answers" event arrives).
"""
import hashlib
import json
import logging
import os
import threading
import time

import sqlalchemy as sa
from flask import current_app, has_app_context

from core.extensions import db
from surveys.barometer import live, sessions
from surveys.barometer.models import LiveSession

log = logging.getLogger(__name__)

IDLE_SECONDS = 60  # a board no stream or poll used for this long is forgotten
KEEPALIVE_SECONDS = 15.0  # a stream with nothing to say sends a comment line this often
KEEPALIVE = b": keepalive\n\n"
KEEPALIVE_CHUNK = b"%X\r\n%s\r\n" % (len(KEEPALIVE), KEEPALIVE)


class Direct:
    """A phone stream whose events the board writes to the client's socket itself (see streams.direct_socket).

    Waking 5,000 greenlets per change, each passing its bytes through Werkzeug's iterator, gunicorn's chunked
    write and gevent's sendall, cost ~60 µs of CPU a phone; one non-blocking send each from the board's loop
    costs ~13 µs, most of it the kernel's. The stream's own greenlet only wakes when the board could not
    finish: a partial send (`backlog`), a change offered while it was writing itself (`behind`), or a
    socket that failed (`dead`). Keepalives are the board's too (Board.keep_alive), so an idle stream costs
    no timer and no wake-up."""

    __slots__ = ("sock", "raw", "chunked", "wake", "backlog", "behind", "busy", "dead", "sent_at")

    def __init__(self, sock, raw, chunked):
        self.sock = sock  # gevent's socket: blocks cooperatively (the stream's own writes)
        self.raw = raw  # the non-blocking socket under it (the board's writes, which never wait)
        self.chunked = chunked  # gunicorn frames an HTTP/1.1 body of unknown length in chunks
        self.wake = threading.Event()
        self.backlog = b""
        self.behind = self.busy = self.dead = False
        self.sent_at = time.monotonic()

    def frame(self, event):
        return b"%X\r\n%s\r\n" % (len(event), event) if self.chunked else event

    def offer(self, event, chunk, keepalive=False):
        """Called by the board, never blocks: send the whole event now or leave the rest to the stream. A
        keepalive is dropped where the stream is writing anyway."""
        if self.busy or self.backlog or self.dead:
            if not keepalive:
                self.behind = True
                self.wake.set()
            return
        data = chunk if self.chunked else event
        self.sent_at = time.monotonic()
        try:
            sent = self.raw.send(data)
        except BlockingIOError:
            sent = 0
        except OSError:  # the phone left
            self.dead = True
            self.wake.set()
            return
        if sent < len(data):
            self.backlog = data[sent:]
            self.wake.set()

    def write(self, data):
        """The stream's own write, in its greenlet: waits cooperatively while the client is slow."""
        self.busy = True
        self.sent_at = time.monotonic()
        try:
            self.sock.sendall(data)
        except OSError:
            self.dead = True
        finally:
            self.busy = False

    def catch_up(self, board):
        """Finish what the board left: the rest of a partial event, then the board's newest one if missed."""
        while not self.dead:
            if self.backlog:
                data, self.backlog = self.backlog, b""
                self.write(data)
            elif self.behind:
                self.behind = False
                self.write(self.frame(board.current[1]))
            else:
                return


class Board:
    """The shared phone state of one session in this process. Read `current` once: it is replaced whole."""

    def __init__(self, session_id):
        self.session_id = session_id
        # (sequence number, SSE event bytes, JSON body bytes, ETag value, state dict); seq 0 = not loaded yet.
        self.current = (0, b"", b"", "", {})
        self.version = None
        self.results_shown = False
        self.generation = 0  # how many times it was loaded
        self.stale = True
        self.answers_dirty = False
        self.loaded_at = 0.0
        self.streams = 0
        self.direct = set()  # Direct streams of this process (gunicorn's gevent worker)
        self.used_at = time.monotonic()
        self.lock = threading.Lock()  # one loader at a time; the others wait and use its result
        self._changed = threading.Event()

    @property
    def seq(self):
        return self.current[0]

    def publish(self, state):
        """Serialise state once; wake every waiting stream if the bytes differ from the last ones."""
        body = json.dumps(state, separators=(",", ":"), default=str, ensure_ascii=False).encode()
        self.version = state.get("version")
        self.results_shown = bool(state.get("results_shown"))
        self.loaded_at = time.monotonic()
        self.generation += 1
        if body == self.current[2]:
            return False
        digest = hashlib.blake2b(body, digest_size=8).hexdigest()
        etag = f"{self.session_id}-{state.get('version')}-{digest}"  # sent as a weak ETag
        event = b"event: state\ndata: " + body + b"\n\n"
        changed, self._changed = self._changed, threading.Event()
        self.current = (self.seq + 1, event, body, etag, state)
        self.push(event)
        changed.set()
        return True

    def push(self, event):
        """Write the event to every direct stream now, one non-blocking send each (see Direct)."""
        if self.direct:
            chunk = b"%X\r\n%s\r\n" % (len(event), event)
            for stream in list(self.direct):
                stream.offer(event, chunk)

    def keep_alive(self, now, every):
        """A comment line to each direct stream that had nothing for `every` seconds, so proxies and phones
        keep the connection open."""
        for stream in list(self.direct):
            if now - stream.sent_at >= every:
                stream.offer(KEEPALIVE, KEEPALIVE_CHUNK, keepalive=True)

    def wait(self, seq, timeout):
        """True as soon as the board holds something newer than seq; False after timeout seconds."""
        changed = self._changed
        if self.seq != seq:
            return True
        changed.wait(timeout)
        return self.seq != seq

    def attach(self):
        self.streams += 1
        self.used_at = time.monotonic()

    def detach(self):
        self.streams = max(0, self.streams - 1)
        self.used_at = time.monotonic()


_VERSIONS = sa.select(LiveSession.id, LiveSession.version).where(LiveSession.id.in_(sa.bindparam("ids", expanding=True)))


class Broadcaster:
    """This process's boards and the one watcher that keeps them true."""

    def __init__(self, app):
        self.app = app
        self.boards = {}
        self.lock = threading.Lock()
        self._wake = threading.Event()
        self._watcher_pid = None
        self.loads = 0  # how many times a state was read from the database (tests count it)

    # --- used by the views ------------------------------------------------------------------
    def board(self, session_id):
        """The session's board, loaded and current (call within an app context)."""
        board = self.boards.get(session_id)
        if board is None:
            with self.lock:
                board = self.boards.setdefault(session_id, Board(session_id))
            self._ensure_watcher()
        board.used_at = time.monotonic()
        if board.stale or not board.generation:
            self.refresh(board)
        return board

    def refresh(self, board):
        """Read the session's state from the database, once however many callers ask at the same time."""
        generation = board.generation
        with board.lock:
            # Another caller loaded it while this one waited. A board never loaded is loaded in any case: its
            # first reader clears `stale` before its read, and on PostgreSQL under gevent that read lets the
            # next phone in, which must wait for it rather than find an empty board (a 404 "unknown code").
            if board.generation != generation or (not board.stale and board.generation):
                return
            # Cleared before reading: a change that lands during the read marks the board again.
            board.stale = board.answers_dirty = False
            # populate_existing: never an identity-map copy older than the change.
            session = db.session.get(LiveSession, board.session_id, populate_existing=True)
            if session is None:
                return
            state = sessions.session_state(session)
            self.loads += 1
            board.publish(state)

    # --- told by the live channel (any thread) -------------------------------------------
    def on_event(self, event):
        board = self.boards.get(event.get("session"))
        if board is None:
            return
        if event.get("kind") == "answers":
            if not board.results_shown:
                return
            board.answers_dirty = True
        board.stale = True
        if has_app_context():
            # Told in the request that made the change (the in-process channel): re-read it right here.
            self.refresh(board)
        else:
            self._wake.set()

    # --- the watcher ------------------------------------------------------------------------
    def _config(self, key, default):
        return float(self.app.config.get(key, default))

    def tick(self):
        """One round of the watcher: re-read what changed; forget what nobody follows. App context needed."""
        now = time.monotonic()
        with self.lock:
            for session_id, board in list(self.boards.items()):
                if board.streams == 0 and now - board.used_at > IDLE_SECONDS:
                    del self.boards[session_id]
            boards = dict(self.boards)
        if not boards:
            return
        # On a connection of its own, given back at once: no ORM session for the few times a second nothing changed.
        with db.engine.connect() as conn:
            rows = conn.execute(_VERSIONS, {"ids": list(boards)}).all()
        versions = dict(rows)
        results_every = self._config("LIVE_RESULTS_SECONDS", 2.0)
        for session_id, board in boards.items():
            if session_id not in versions:
                continue
            if versions[session_id] != board.version:
                board.stale = True
            elif board.results_shown and (board.answers_dirty or now - board.loaded_at >= results_every):
                board.stale = True
            if board.stale:
                self.refresh(board)

    def _ensure_watcher(self):
        # Started lazily and per process: threads do not survive gunicorn's fork.
        if self._watcher_pid == os.getpid():
            return
        with self.lock:
            if self._watcher_pid == os.getpid():
                return
            self._watcher_pid = os.getpid()
        live.channel().listen()
        threading.Thread(target=self._watch_forever, name="barometer-live-watch", daemon=True).start()

    def keep_alive(self):
        """Keepalives for this process's direct streams, written by the board (see Direct)."""
        now = time.monotonic()
        for board in list(self.boards.values()):
            board.keep_alive(now, KEEPALIVE_SECONDS)

    def _watch_forever(self):
        kept_alive = time.monotonic()
        while True:
            self._wake.wait(self._config("LIVE_WATCH_SECONDS", 0.1))
            self._wake.clear()
            if time.monotonic() - kept_alive >= 1:
                kept_alive = time.monotonic()
                self.keep_alive()
            if not self.app.config.get("LIVE_WATCHER", True):
                continue  # tests that share one connection with the test run tick() themselves
            try:
                with self.app.app_context():
                    try:
                        self.tick()
                    finally:
                        db.session.remove()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the watcher
                log.exception("barometer watcher: could not read the live sessions; trying again")
                time.sleep(1)

    def reset(self):
        """Forget every board (tests: ids restart with each test's empty database)."""
        with self.lock:
            self.boards.clear()
            self.loads = 0


def broadcaster():
    return current_app.extensions["barometer_broadcast"]


def init_app(app):
    app.extensions["barometer_broadcast"] = caster = Broadcaster(app)
    app.extensions["barometer_live"].add_listener(caster.on_event)
