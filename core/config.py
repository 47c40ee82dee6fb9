"""Configuration read from the environment, with safe defaults for a newcomer's laptop."""
import os
from urllib.parse import urlsplit

import redis

INSECURE_DEV_KEY = "dev-only-insecure-key-change-me"


class ConfigError(RuntimeError):
    """Raised when the app is started in production without what production needs."""


def _bool(value, default=False):
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url):
    """postgres:// and postgresql:// URLs name the psycopg2 driver; psycopg 3 is what we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(instance_path):
    """Return the configuration dictionary built from the environment."""
    env = os.environ
    production = env.get("SAMRAD_ENV", "development").lower() == "production"
    sqlite_path = os.path.join(instance_path, "samrad.sqlite3")
    database_url = normalise_database_url(env.get("DATABASE_URL") or f"sqlite:///{sqlite_path}")
    redis_url = env.get("REDIS_URL") or None
    return {
        "SAMRAD_ENV": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY") or INSECURE_DEV_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # With Redis down, the decorated limits count in memory instead of answering 500 (issue 10).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # A bounded, short-timeout pool: thousands of requests in flight under gevent wait briefly for a
        # connection instead of each opening one ("Too many connections"); a dead Redis fails fast.
        "RATELIMIT_STORAGE_OPTIONS": {"connection_pool": redis.BlockingConnectionPool.from_url(
            redis_url, max_connections=32, timeout=1, socket_connect_timeout=1, socket_timeout=1)}
        if redis_url else {},
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT") or 587),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), True),
        "MAIL_USE_SSL": _bool(env.get("MAIL_USE_SSL"), False),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER") or "Samråd <noreply@samrad.example>",
        # The site's public address (https://samrad.example.se): every link in a mail starts with it, never with
        # the Host header of the request that caused the mail. Required in production.


        # The mail worker looks at the outbox this often (a password reset must not wait long) and takes back
        # rows a crashed worker left in "sending" after MAIL_CLAIM_TIMEOUT seconds.
        "MAIL_WORKER_POLL_SECONDS": float(env.get("MAIL_WORKER_POLL_SECONDS") or 1),
        "MAIL_CLAIM_TIMEOUT": int(env.get("MAIL_CLAIM_TIMEOUT") or 300),
        "MAIL_KEEP_SENT_DAYS": int(env.get("MAIL_KEEP_SENT_DAYS") or 30),
        # The site's public address (https://samrad.example.se): CLI commands that mail links outside a request.
        "BASE_URL": (env.get("BASE_URL") or "").strip().rstrip("/") or None,
        # Host names requests may name; others get 400. Unset: derived from BASE_URL (see trusted_hosts).
        "TRUSTED_HOSTS": [h.strip() for h in (env.get("TRUSTED_HOSTS") or "").split(",") if h.strip()] or None,
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LANGUAGE", "sv"),
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(
            f"{area}/translations"
            for area in ("core", "core/organisations", "core/agreements", "dialog", "surveys/barometer", "surveys/remiss")
        ),
        "LANGUAGES": {"sv": "Svenska", "en": "English"},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # tokens live as long as the session; expiry is handled by the session
        # Failed logins for one address from one source before that source waits LOGIN_THROTTLE_MINUTES.
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES") or 5),
        "LOGIN_THROTTLE_MINUTES": int(env.get("LOGIN_THROTTLE_MINUTES") or 15),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT") or "20 per minute",
        "RESET_RATE_LIMIT": env.get("RESET_RATE_LIMIT") or "5 per minute",
        # How many proxies (nginx, Caddy) stand in front and set X-Forwarded-For/-Proto/-Host; 0 = none.
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES") or 0),
        "TOKEN_MAX_AGE_SECONDS": 60 * 60 * 24,
        "INVITE_MAX_AGE_SECONDS": 60 * 60 * 24 * 7,
        # gc.freeze() once the app is loaded (core.gc_freeze), so full collections skip its objects.
        "GC_FREEZE": _bool(env.get("GC_FREEZE"), True),
    }


DEV_BASE_URL = "http://127.0.0.1:5000"
DEV_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def base_url(config):
    """The public address links start with: BASE_URL, or the local development server when it is unset."""
    return config.get("BASE_URL") or DEV_BASE_URL


def cli_base_url(config):
    """The address links in mail sent from the command line start with: (url, warning or None).

    Outside a request only BASE_URL says where the site is. Production refuses to go on without it (ConfigError,
    one line for the operator) rather than mail links nobody can open; development uses the local server.
    """
    url = config.get("BASE_URL")
    if url:
        if not url.startswith(("https://", "http://")):
            raise ConfigError(f"BASE_URL måste börja med https://, till exempel https://samrad.example.se (nu: {url}). "
                              f"/ BASE_URL must start with https://, for example https://samrad.example.se (now: {url}).")
        return url, None
    if config.get("SAMRAD_ENV") == "production":
        raise ConfigError("BASE_URL saknas: sätt den till webbplatsens adress, till exempel "
                          "BASE_URL=https://samrad.example.se, så att länkarna i e-posten fungerar; inget skickades. "
                          "/ BASE_URL is not set: set it to the site's public address so the links in the mail "
                          "work; nothing was sent.")
    return DEV_BASE_URL, (f"Varning: BASE_URL är inte satt; länkarna pekar på {DEV_BASE_URL}. "
                          f"/ Warning: BASE_URL is not set; links point to {DEV_BASE_URL}.")


def trusted_hosts(config):
    """Host names a request may name: TRUSTED_HOSTS if set, else BASE_URL's host (plus localhost in development).

    A request for any other host is refused (Flask's TRUSTED_HOSTS), so nothing can be built from a forged Host.
    """
    if config.get("TRUSTED_HOSTS"):
        return list(config["TRUSTED_HOSTS"])
    hosts = []
    if config.get("BASE_URL"):
        hosts.append(urlsplit(config["BASE_URL"]).hostname)
    if config.get("SAMRAD_ENV") != "production":
        hosts += [h for h in DEV_HOSTS if h not in hosts]
    return hosts


def check_production(config):
    """Refuse to run in production with the development key or without the public address."""
    if config.get("SAMRAD_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == INSECURE_DEV_KEY or len(key) < 32:
        raise ConfigError(
            "SAMRAD_ENV=production needs SECRET_KEY set to a random string of at least 32 characters "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    url = config.get("BASE_URL") or ""
    if not url.startswith(("https://", "http://")) or not urlsplit(url).hostname:
        raise ConfigError(
            "SAMRAD_ENV=production needs BASE_URL set to the site's public address, for example "
            "BASE_URL=https://samrad.example.se: every link in a mail starts with it."
        )
