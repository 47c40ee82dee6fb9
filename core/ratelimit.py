"""Rate-limit checks for hot paths: counted in this process, never over the network.

Flask-Limiter's decorators keep their counters in its storage (Redis with REDIS_URL). On a path that
thousands of phones hit at once (the live barometer's answer, poll, stream and join) that means one
Redis round trip and one pooled Redis connection per request: under gevent, thousands of requests in
flight wanted a connection each and the pool refused them ("Too many connections"), and with Redis
stopped every such request failed. These checks count in the process's own memory instead, with the
same limit strings as the decorators, so they cost no I/O and keep working when
Redis is down. The price: with several workers each counts on its own, so a limit of N allows up
to workers × N; the README says so beside the limits.
"""
import os
import threading
import time
from functools import lru_cache

from flask import current_app
from limits import parse

from core.extensions import limiter


@lru_cache(maxsize=64)
def _parsed(limit_string):
    return parse(limit_string)


class Counters:
    """Fixed-window counters in this process's memory: a dict and a lock, no timer, no I/O.

    (limits' own MemoryStorage starts a timer thread on every hit after an idle moment; under load that
    was a thread, or a greenlet, per request.) A fixed window lets a client spend up to twice the amount
    across a window's edge, which is fine for what these limits are for."""

    SWEEP_SECONDS = 60

    def __init__(self):
        self.lock = threading.Lock()
        self.windows = {}  # (scope, key, limit) -> (window start, count, window length)
        self.next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def hit(self, item, scope, key, count=True):
        now = time.monotonic()
        period = item.get_expiry()
        start = now - (now % period)
        name = (scope, key, str(item))
        with self.lock:
            window = self.windows.get(name)
            used = window[1] if window and window[0] == start else 0
            if used + 1 > item.amount:
                return False
            if count:
                self.windows[name] = (start, used + 1, period)
            if now > self.next_sweep:
                self._sweep(now)
        return True

    def _sweep(self, now):
        self.next_sweep = now + self.SWEEP_SECONDS
        for name, (start, _used, period) in list(self.windows.items()):
            if start + period < now:
                del self.windows[name]


_local_lock = threading.Lock()
_local = {"pid": None, "counters": None}


def _enabled():
    return limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)


def local_counters():
    """This process's counters (made anew after a fork: a worker must not share its parent's counts)."""
    pid = os.getpid()
    if _local["pid"] != pid:
        with _local_lock:
            if _local["pid"] != pid:
                _local["counters"] = Counters()
                _local["pid"] = pid
    return _local["counters"]


def limit_string(config_key, default):
    return current_app.config.get(config_key, default)


def hit(config_key, default, scope, key):
    """Count one request of `key` against the limit in app.config[config_key]; False when over it."""
    if not _enabled():
        return True
    return local_counters().hit(_parsed(current_app.config.get(config_key, default)), scope, key)


def allowed(config_key, default, scope, key):
    """True while `key` is under the limit, without counting: to refuse before doing any work."""
    if not _enabled():
        return True
    return local_counters().hit(_parsed(current_app.config.get(config_key, default)), scope, key, count=False)


def reset():
    """Forget every count of this process (tests)."""
    with _local_lock:
        _local["pid"] = None
        _local["counters"] = None
