"""A lean rate-limit check for hot paths, on Flask-Limiter's own storage (memory, or Redis with REDIS_URL).

Flask-Limiter's decorator resolves and filters every limit of the app on each request; on an
endpoint answered hundreds of times a second that overhead is a quarter of the request. Here one
parsed limit is hit once, in the same storage and with the same strategy the decorators use.
"""
from functools import lru_cache

from flask import current_app
from limits import parse

from core.extensions import limiter


@lru_cache(maxsize=64)
def _parsed(limit_string):
    return parse(limit_string)


def hit(config_key, default, scope, key):
    """Count one request of `key` against the limit in app.config[config_key]; False when over it."""
    if not limiter.enabled or not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    item = _parsed(current_app.config.get(config_key, default))
    return limiter.limiter.hit(item, scope, key)
