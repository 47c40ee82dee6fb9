"""Shared fixtures: app, db, client, auth and factories.

Tests run on SQLite by default and on PostgreSQL when DATABASE_URL points at one. The schema is
built once per session. A test runs inside one outer transaction that is rolled back afterwards: every
session commit (and every `db.engine.begin()`) only releases a savepoint on that connection. Tests whose
writes must reach other connections — browser tests (a live server thread) and tests marked
`truncate` (other threads) — commit for real and every table is emptied after them instead.
"""
import contextlib
import contextvars
import os
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from core import ratelimit
from core.config import normalise_database_url
from core.extensions import db as _db
from core.extensions import limiter
from core.mail import drain
from core.models import Membership, Organisation, Role, User

PASSWORD = "rätt-lösenord-123"
# A production app freezes what it has loaded for the cycle collector (core.gc_freeze); the tests build many
# apps in one process, including some that are not in testing mode, and none of them should.
os.environ["GC_FREEZE"] = "0"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The app fixture keeps an app context pushed for the test's own database work; without this,
    Flask would reuse it for the client's requests and share `g` (login, locale) between them.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def _app(database_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": None,
        # Mailed links start with BASE_URL; the test client's host is localhost, so links can be followed.
        "BASE_URL": "http://localhost",
        # Limits stay on, as in production, but high: a test that checks a limit lowers its own.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "RESET_RATE_LIMIT": "1000 per minute",
        "WTF_CSRF_ENABLED": True,
        # The live barometer's watcher thread reads with a connection of its own; tests that roll back one
        # shared connection call its tick() themselves (browser tests turn it on).
        "LIVE_WATCHER": False,
    })
    app.test_client_class = IsolatedClient
    with app.app_context():
        # A session whose connection is already in a transaction works in a savepoint of it (see _rolled_back).
        _db.session.session_factory.configure(join_transaction_mode="create_savepoint")
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _truncate_all():
    tables = [t for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        with _db.engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        with _db.engine.begin() as conn:
            for t in tables:
                conn.execute(t.delete())


@contextlib.contextmanager
def _rolled_back(engine):
    """Everything the test writes goes into one transaction on one connection, rolled back at the end.

    The ORM session joins it with a savepoint (join_transaction_mode); code that takes a connection of its
    own (`db.engine.begin()`, e.g. the barometer's raw upsert) gets this one, with begin() as a savepoint
    and close() left to us, so it sees the test's rows and its writes are undone too.
    """
    connection = engine.connect()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        # pysqlite begins a transaction only before a write, so a SAVEPOINT would start (and its RELEASE
        # commit) the real one. The workaround from SQLAlchemy's SQLite docs, on this connection only:
        # pysqlite hands transactions over and we emit BEGIN. Truncating tests keep pysqlite's own ways, so
        # their reads see what a server thread committed meanwhile.
        connection.connection.driver_connection.isolation_level = None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    close = connection.close
    engine.connect = lambda: connection
    connection.begin = connection.begin_nested
    connection.close = lambda: None
    try:
        yield
    finally:
        _db.session.remove()
        del engine.connect, connection.begin, connection.close
        if outer.is_active:
            outer.rollback()
        if sqlite:
            connection.connection.driver_connection.isolation_level = ""
        close()


def _needs_truncation(request):
    return request.node.get_closest_marker("truncate") or request.node.get_closest_marker("browser")


@pytest.fixture
def app(_app, request):
    """The app with an empty database and an app context pushed."""
    _app.extensions.pop("samrad_outbox", None)
    ctx = _app.test_request_context()
    ctx.push()
    truncate = _needs_truncation(request)
    with contextlib.nullcontext() if truncate else _rolled_back(_db.engine):
        yield _app
        _db.session.rollback()
        _db.session.remove()
    limiter.reset()
    ratelimit.reset()
    # The live barometer's shared phone states are per session id, and ids restart with each test.
    _app.extensions["barometer_broadcast"].reset()
    ctx.pop()
    if truncate:
        with _app.app_context():
            _truncate_all()
            _db.session.remove()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class DrainingOutbox(list):
    """The mails sent during the test. Mail is queued in the database; each read first runs the mail worker
    once (core.mail.drain), so a test sees what the worker would have sent by then."""

    def _drain(self):
        drain()
        return self

    def __iter__(self):
        return list.__iter__(self._drain())

    def __len__(self):
        return list.__len__(self._drain())

    def __getitem__(self, index):
        return list.__getitem__(self._drain(), index)

    def __reversed__(self):
        return list.__reversed__(self._drain())

    def __eq__(self, other):
        return list.__eq__(self._drain(), other)

    def __bool__(self):
        return list.__len__(self._drain()) > 0

    def __contains__(self, item):
        return list.__contains__(self._drain(), item)

    def clear(self):
        """Forget what was sent so far (queued mail included: it is sent and forgotten)."""
        list.clear(self._drain())

    __hash__ = None


@pytest.fixture
def outbox(app):
    """Mails sent during the test (the list the worker appends to when TESTING)."""
    return app.extensions.setdefault("samrad_outbox", DrainingOutbox())


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token_from(html):
    """The CSRF token of the first form in a page, as a browser would send it."""
    match = CSRF_RE.search(html)
    assert match, "no csrf_token in the page"
    return match.group(1) or match.group(2)


class FormClient:
    """Posts forms the way a browser does: GET the page, read its CSRF token, POST."""

    def __init__(self, client):
        self.client = client

    def token(self, url="/login"):
        page = self.client.get(url)
        return csrf_token_from(page.get_data(as_text=True))

    def post(self, url, data=None, page=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(page or url))
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def forms(client):
    return FormClient(client)


class AuthActions:
    def __init__(self, client):
        self.client = client
        self.forms = FormClient(client)

    def login(self, email="admin@test.example", password=PASSWORD, follow=False):
        return self.forms.post("/login", {"email": email, "password": password}, follow_redirects=follow)

    def login_as(self, user):
        response = self.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    def logout(self):
        return self.forms.post("/logout", {}, page="/")


@pytest.fixture
def auth(client):
    return AuthActions(client)


# --- factories -------------------------------------------------------------

@pytest.fixture
def make_organisation(db):
    counter = {"n": 0}

    def make(name=None, **fields):
        counter["n"] += 1
        org = Organisation(name=name or f"Förening {counter['n']}", legal_form=fields.pop("legal_form", "forening"),
                           **fields)
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(email=None, roles=(), organisations=(), password=PASSWORD, name=None, can_sign=True):
        counter["n"] += 1
        user = User(email=email or f"user{counter['n']}@test.example", name=name or f"Användare {counter['n']}")
        if password:
            user.set_password(password)
        user.set_roles(roles)
        for org in organisations:
            user.memberships.append(Membership(organisation=org, can_sign=can_sign))
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def admin(make_user):
    return make_user("admin@test.example", roles=[Role.ADMIN], name="Ada Admin")


@pytest.fixture
def moderator(make_user):
    return make_user("moderator@test.example", roles=[Role.MODERATOR], name="Moa Moderator")


@pytest.fixture
def skrivare(make_user):
    return make_user("skrivare@test.example", roles=[Role.SKRIVARGRUPP], name="Sam Skrivare")


@pytest.fixture
def respondent(make_user, make_organisation):
    org = make_organisation("Social Ekonomi Fyrbodal", org_number="802473-5832", legal_form="natverk",
                            sub_region="fyrbodal")
    return make_user("svarande@test.example", roles=[Role.RESPONDENT], organisations=[org], name="Svea Svarande")
