"""The live channel: tells open streams that a session changed or got answers.

Two backends with one interface: in-process (one server process, the default) and Redis pub/sub
(`REDIS_URL` set), so that several gunicorn workers or hosts share one live state.

Events are tiny dicts: {"session": id, "kind": "state"} after a moderator action, and
{"session": id, "kind": "answers"} when answers arrived. Screens read the truth from the database
(the phones through broadcast.py, once per process and change), so a lost or coalesced event can
only delay a screen, never make it wrong; broadcast.py also watches the sessions' `version` column,
so a change reaches every process even without Redis, or while Redis is down.

Answer events are coalesced: the answer request only adds the session id to a set, and a
background thread publishes one "answers" event per session every ANSWER_FLUSH_SECONDS. At a
thousand answers a second this is ten messages a second instead of a thousand.
"""
import json
import logging
import os
import queue
import threading
import time

import redis
from flask import current_app

log = logging.getLogger(__name__)

ANSWER_FLUSH_SECONDS = 0.1
REDIS_CHANNEL_PREFIX = "samrad:live:"


class Subscription:
    """A queue of events for one open stream; close() when the stream ends."""

    def __init__(self, hub, session_id, kinds):
        self.hub = hub
        self.session_id = session_id
        self.kinds = kinds
        self.queue = queue.SimpleQueue()

    def get(self, timeout):
        """The next event, or None after timeout seconds."""
        try:
            return self.queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def drain(self):
        events = []
        while True:
            try:
                events.append(self.queue.get_nowait())
            except queue.Empty:
                return events

    def close(self):
        self.hub.unsubscribe(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _Hub:
    """Local fan-out of events to the subscriptions of this process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.subscribers = {}
        self.listeners = []  # callables given every event of every session (broadcast.py)

    def subscribe(self, session_id, kinds=("state", "answers")):
        sub = Subscription(self, session_id, frozenset(kinds))
        with self.lock:
            self.subscribers.setdefault(session_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub):
        with self.lock:
            subs = self.subscribers.get(sub.session_id)
            if subs:
                subs.discard(sub)
                if not subs:
                    del self.subscribers[sub.session_id]

    def dispatch(self, event):
        for listener in self.listeners:
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - one broken listener must not starve the streams
                log.exception("live channel: a listener failed")
        with self.lock:
            subs = list(self.subscribers.get(event.get("session"), ()))
        for sub in subs:
            if event.get("kind") in sub.kinds:
                sub.queue.put(event)

    def stream_count(self):
        with self.lock:
            return sum(len(s) for s in self.subscribers.values())


class LiveChannel:
    """In-process backend; also the base of the Redis one."""

    backend = "memory"

    def __init__(self):
        self.hub = _Hub()
        self._pending = set()
        self._pending_lock = threading.Lock()
        self._flusher_pid = None
        self._flusher_lock = threading.Lock()

    # --- publishing -----------------------------------------------------
    def publish(self, session_id, kind="state"):
        try:
            self._send({"session": session_id, "kind": kind})
        except Exception:  # noqa: BLE001 - the change is committed; screens fall back to polling
            log.exception("live channel: could not publish %s event", kind)

    def _send(self, event):
        self.hub.dispatch(event)

    def answers_arrived(self, session_id):
        """Called on the answer hot path: cheap, never blocks on the network."""
        with self._pending_lock:
            self._pending.add(session_id)
        self._ensure_flusher()

    def flush(self):
        with self._pending_lock:
            pending, self._pending = self._pending, set()
        for session_id in pending:
            try:
                self._send({"session": session_id, "kind": "answers"})
            except Exception:  # noqa: BLE001 - a broken broker must not kill the flusher; streams recount anyway
                log.exception("live channel: could not publish answers event")

    def _ensure_flusher(self):
        # Started lazily and per process: threads do not survive gunicorn's fork.
        if self._flusher_pid == os.getpid():
            return
        with self._flusher_lock:
            if self._flusher_pid == os.getpid():
                return
            self._flusher_pid = os.getpid()
            threading.Thread(target=self._flush_loop, name="barometer-live-flush", daemon=True).start()

    def _flush_loop(self):
        while True:
            time.sleep(ANSWER_FLUSH_SECONDS)
            self.flush()

    # --- subscribing ----------------------------------------------------
    def subscribe(self, session_id, kinds=("state", "answers")):
        return self.hub.subscribe(session_id, kinds)

    def add_listener(self, callback):
        """callback(event) for every event of every session, in whichever thread receives it."""
        self.hub.listeners.append(callback)

    def listen(self):
        """Make sure this process receives the events (with Redis: its one subscription runs)."""

    def stream_count(self):
        return self.hub.stream_count()


class RedisLiveChannel(LiveChannel):
    """Redis pub/sub: every process publishes to Redis and one listener thread per process fans out."""

    backend = "redis"

    def __init__(self, url):
        super().__init__()
        self.url = url
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=2, health_check_interval=30)
        self._listener_pid = None
        self._listener_lock = threading.Lock()
        self._ready = threading.Event()

    def _send(self, event):
        self.redis.publish(REDIS_CHANNEL_PREFIX + str(event["session"]), json.dumps(event))

    def subscribe(self, session_id, kinds=("state", "answers")):
        self._ensure_listener()
        return super().subscribe(session_id, kinds)

    def listen(self):
        self._ensure_listener()

    def _ensure_listener(self):
        if self._listener_pid == os.getpid():
            return
        with self._listener_lock:
            if self._listener_pid == os.getpid():
                return
            self._listener_pid = os.getpid()
            self._ready.clear()
            threading.Thread(target=self._listen_forever, name="barometer-live-redis", daemon=True).start()
        # Wait briefly so an event published right after subscribe() is not missed.
        self._ready.wait(2)

    def _listen_forever(self):
        while True:
            pubsub = None
            try:
                client = redis.Redis.from_url(self.url, socket_connect_timeout=2, health_check_interval=30)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.psubscribe(REDIS_CHANNEL_PREFIX + "*")
                pubsub.get_message(timeout=1)  # the psubscribe confirmation
                self._ready.set()
                while True:
                    message = pubsub.get_message(timeout=5)
                    if message and message.get("type") == "pmessage":
                        try:
                            self.hub.dispatch(json.loads(message["data"]))
                        except (ValueError, TypeError):
                            log.warning("live channel: ignored a malformed message")
            except Exception:  # noqa: BLE001 - reconnect after any broker failure
                log.exception("live channel: Redis listener failed; reconnecting")
                self._ready.set()
                time.sleep(1)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except Exception:  # noqa: BLE001
                        pass


def create_channel(redis_url=None):
    return RedisLiveChannel(redis_url) if redis_url else LiveChannel()


def channel():
    """The current app's live channel."""
    return current_app.extensions["barometer_live"]


def init_app(app):
    app.extensions["barometer_live"] = create_channel(app.config.get("REDIS_URL"))
