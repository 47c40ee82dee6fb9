"""Rate-limit checks for hot paths: counted in this process, never over the network.

Flask-Limiter's decorators keep their counters in its storage (Redis with REDIS_URL). On a path that
thousands of phones hit at once (the live barometer's answer, poll, stream and join) that means one
Redis round trip and one pooled Redis connection per request: under gevent, thousands of requests in
flight wanted a connection each and the pool refused them ("Too many connections"), and with Redis
stopped every such request failed. These checks count in the process's own memory instead, with the
same parsing and moving-window strategy as the decorators, so they cost no I/O and keep working when
Redis is down. The price: with several workers each counts on its own, so a limit of N allows up
to workers × N; the README says so beside the limits.
"""
import os
import threading
from functools import lru_cache

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from core.extensions import limiter

_local_lock = threading.Lock()
_local = {"pid": None, "limiter": None}


@lru_cache(maxsize=64)
def _parsed(limit_string):
    return parse(limit_string)


def _enabled():
    return limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True)


def local_limiter():
    """This process's limiter (made anew after a fork: a worker must not share its parent's counters)."""
    pid = os.getpid()
    if _local["pid"] != pid:
        with _local_lock:
            if _local["pid"] != pid:
                _local["limiter"] = MovingWindowRateLimiter(MemoryStorage())
                _local["pid"] = pid
    return _local["limiter"]


def limit_string(config_key, default):
    return current_app.config.get(config_key, default)


def hit(config_key, default, scope, key):
    """Count one request of `key` against the limit in app.config[config_key]; False when over it."""
    if not _enabled():
        return True
    return local_limiter().hit(_parsed(current_app.config.get(config_key, default)), scope, key)


def allowed(config_key, default, scope, key):
    """True while `key` is under the limit, without counting: to refuse before doing any work."""
    if not _enabled():
        return True
    return local_limiter().test(_parsed(current_app.config.get(config_key, default)), scope, key)


def reset():
    """Forget every count of this process (tests)."""
    with _local_lock:
        _local["pid"] = None
        _local["limiter"] = None
