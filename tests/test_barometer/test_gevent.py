"""The production command, for real: gunicorn -k gevent on a free port, driven over HTTP (issue 10).

Several workers without Redis must still tell every phone; SQLite and PostgreSQL (psycopg 3) work
under gevent's monkey-patching, psycopg's waits let other greenlets run; Redis stopped in the middle
of a session stops neither joins nor answers, and the phones' streams recover."""
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from core.demo import DEMO_PASSWORD
from tests.support.production import (
    ROOT,
    free_port,
    pg_admin_url,
    production_server,
    scratch_database,
    wait_for,
)
from tests.test_barometer.test_redis import login

SECRET = "gevent-test-secret-key-that-is-long-enough"
CODE = "VARM15"


def pg_reason():
    try:
        psycopg.connect(pg_admin_url(), connect_timeout=2).close()
    except psycopg.Error as exc:
        return str(exc)
    return None


def on_postgres():
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


@pytest.fixture
def database(tmp_path):
    """A scratch database of the kind this run tests (SQLite, or PostgreSQL when DATABASE_URL names one)
    with the schema and the demo session VARM15; yields (url, session id, statement ids)."""
    if on_postgres() and (reason := pg_reason()):
        pytest.skip(f"PostgreSQL does not answer: {reason}")
    kind = "postgres" if on_postgres() else "sqlite"
    url, session_id, statement_ids, cleanup = scratch_database(kind, tmp_path, f"samrad_live_gevent_{os.getpid()}")
    yield url, session_id, statement_ids
    cleanup()


@contextlib.contextmanager
def gunicorn(env, tmp_path, workers=1):
    """The README's production command on a free port; yields (base URL, the master process)."""
    with production_server(env, tmp_path / "gunicorn.log", workers, timeout=60) as running:
        yield running


def server_env(url, **extra):
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, REDIS_URL="", LIVE_WATCH_SECONDS="0.25")
    env.pop("RATELIMIT_STORAGE_URI", None)
    env.update(extra)
    return env


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None
                                     else None, headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class Phone(threading.Thread):
    """Follows the phone stream like EventSource: reconnects when it ends; keeps every statement number seen."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.base, self.seen, self.stop = base, [], threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/live/{CODE}/events", timeout=30) as response:
                    while not self.stop.is_set():
                        line = response.readline().decode()
                        if not line:
                            break
                        if line.startswith("data: "):
                            statement = json.loads(line[6:]).get("statement") or {}
                            self.seen.append(statement.get("number"))
            except OSError:
                pass
            time.sleep(0.3)


def until(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def moderator_action(base, session_id, action):
    opener = login(base, "moderator@samrad.example", DEMO_PASSWORD)
    page = opener.open(f"{base}/barometrar/sessioner/{session_id}", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    request = urllib.request.Request(f"{base}/barometrar/sessioner/{session_id}/{action}",
                                     data=f"csrf_token={token}".encode(), headers={"Accept": "application/json"})
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read())


def test_two_gevent_workers_without_redis_tell_every_phone(database, tmp_path):
    url, session_id, statement_ids = database
    with gunicorn(server_env(url), tmp_path, workers=2) as (base, _proc):
        phones = [Phone(base) for _ in range(16)]
        for phone in phones:
            phone.start()
        assert until(lambda: all(phone.seen for phone in phones)), "not every phone got the first state"
        assert {phone.seen[0] for phone in phones} == {1}
        # Joins and answers are stored under gevent, on this database.
        status, body = call(base, "POST", f"/api/v1/live/{CODE}/join", {"background": {}})
        assert status == 201
        token = body["participant_token"]
        assert call(base, "PUT", f"/api/v1/live/{CODE}/statements/{statement_ids[0]}/answer", {"value": 4},
                    token)[0] == 200

        state = moderator_action(base, session_id, "next")  # through the real control page's form
        assert state["statement"]["number"] == 2
        assert until(lambda: all(2 in phone.seen for phone in phones)), \
            f"phones that never saw the change: {sum(2 not in p.seen for p in phones)}"
        for phone in phones:
            phone.stop.set()
        status, body = call(base, "GET", f"/api/v1/live/{CODE}/results")
        assert status in (401, 403)  # results stay the moderator's; the answer itself is checked below
    assert stored_answers(url, statement_ids[0]) == [4]


def stored_answers(url, statement_id):
    script = (
        "import sqlalchemy as sa\nfrom app import create_app\nfrom core.extensions import db\n"
        "from surveys.barometer.models import Answer\napp = create_app()\n"
        "with app.app_context():\n"
        f"    print(sorted(db.session.scalars(sa.select(Answer.value).where(Answer.statement_id == {statement_id}))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, DATABASE_URL=url, REDIS_URL=""))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.postgres
def test_psycopg_lets_other_greenlets_run_while_it_waits():
    """psycopg 3 picks a gevent-friendly wait when the socket module is patched (psycopg/psycopg#688)."""
    if not on_postgres():
        pytest.skip("the PostgreSQL run checks this (DATABASE_URL=postgresql://…)")
    reason = pg_reason()
    if reason:
        pytest.skip(f"PostgreSQL does not answer: {reason}")
    script = (
        "from gevent import monkey\nmonkey.patch_all()\n"
        "import gevent, psycopg\n"
        "order = []\n"
        f"def query():\n    with psycopg.connect({pg_admin_url()!r}) as conn:\n"
        "        order.append('query started')\n"
        "        conn.execute('SELECT pg_sleep(0.5)')\n"
        "        order.append('query done')\n"
        "def other():\n    gevent.sleep(0.05)\n    order.append('other greenlet ran')\n"
        "gevent.joinall([gevent.spawn(query), gevent.spawn(other)])\n"
        "print(order)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    # Blocking waits would run the whole query before the other greenlet got its turn.
    assert out.stdout.strip() == "['query started', 'other greenlet ran', 'query done']"


@pytest.mark.redis
def test_redis_stopped_mid_session(database, tmp_path):
    """Joins, answers and logins keep working while Redis is down; streams follow the moderator all along."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        pytest.skip("redis-server is not installed")
    url, session_id, statements = database
    redis_port = free_port()
    redis_args = [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--dir", str(tmp_path)]
    redis_proc = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = server_env(url, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
        with gunicorn(env, tmp_path, workers=2) as (base, _proc):
            phones = [Phone(base) for _ in range(6)]
            for phone in phones:
                phone.start()
            assert until(lambda: all(phone.seen for phone in phones))
            tokens = [call(base, "POST", f"/api/v1/live/{CODE}/join", {"background": {}})[1]["participant_token"]]

            redis_proc.send_signal(signal.SIGTERM)
            redis_proc.wait(10)
            # Redis is gone: a join, two answers and a login are still served and stored.
            status, body = call(base, "POST", f"/api/v1/live/{CODE}/join", {"background": {}})
            assert status == 201
            tokens.append(body["participant_token"])
            for token, value in zip(tokens, (2, 5), strict=True):
                assert call(base, "PUT", f"/api/v1/live/{CODE}/statements/{statements[0]}/answer",
                            {"value": value}, token)[0] == 200
            assert moderator_action(base, session_id, "next")["statement"]["number"] == 2  # login + action
            assert until(lambda: all(2 in phone.seen for phone in phones)), "streams stalled without Redis"

            redis_proc = subprocess.Popen(redis_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            assert moderator_action(base, session_id, "next")["statement"]["number"] == 3
            assert until(lambda: all(3 in phone.seen for phone in phones)), "streams stalled after Redis returned"
            for phone in phones:
                phone.stop.set()
        assert stored_answers(url, statements[0]) == [2, 5]
    finally:
        redis_proc.terminate()
        redis_proc.wait(10)


def test_a_killed_worker_s_phones_reconnect_and_catch_up(database, tmp_path):
    url, session_id, _statements = database
    with gunicorn(server_env(url), tmp_path, workers=1) as (base, proc):
        phone = Phone(base)
        phone.start()
        assert until(lambda: phone.seen)
        worker = int(subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()[0])
        os.kill(worker, signal.SIGKILL)  # gunicorn starts a new worker; the phone's stream broke
        wait_for(base + "/healthz", timeout=60)
        assert moderator_action(base, session_id, "next")["statement"]["number"] == 2
        assert until(lambda: 2 in phone.seen), "the phone did not catch up after its worker died"
        phone.stop.set()


def _read_response(sock):
    """Everything the server sends on this connection until it closes it or ends the chunked body."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
        if data.endswith(b"\r\n0\r\n\r\n"):
            return data


def _dechunk(body):
    """Strict HTTP/1.1 chunked decoding: every chunk is size CRLF data CRLF, and the body ends with size 0."""
    out, rest = b"", body
    while True:
        size_line, sep, rest = rest.partition(b"\r\n")
        assert sep, f"unterminated chunk size in {body[-200:]!r}"
        size = int(size_line, 16)
        if size == 0:
            assert rest == b"\r\n", f"bytes after the last chunk: {rest[:200]!r}"
            return out
        assert rest[size:size + 2] == b"\r\n", f"chunk of {size} bytes not followed by CRLF: {rest[:size + 20]!r}"
        out, rest = out + rest[:size], rest[size + 2:]


def _statement_numbers(sse):
    return [(json.loads(line[6:]).get("statement") or {}).get("number")
            for line in sse.decode().splitlines() if line.startswith("data: ")]


def test_direct_writes_keep_http_framing_for_1_1_and_1_0(database, tmp_path):
    """Under gunicorn's gevent worker the board writes phones' events to their sockets itself (Board.push):
    the bytes must still be exactly what gunicorn would have framed, to the end of the body."""
    url, session_id, _statements = database
    with gunicorn(server_env(url, LIVE_STREAM_SECONDS="5"), tmp_path, workers=1) as (base, _proc):
        host, port = base.removeprefix("http://").split(":")
        phones = {}
        for version in ("1.1", "1.0"):
            sock = socket.create_connection((host, int(port)), timeout=30)
            sock.sendall(f"GET /api/v1/live/{CODE}/events HTTP/{version}\r\nHost: {host}\r\n\r\n".encode())
            phones[version] = sock
        time.sleep(1)  # both streams hold the first state
        assert moderator_action(base, session_id, "next")["statement"]["number"] == 2
        assert moderator_action(base, session_id, "next")["statement"]["number"] == 3
        responses = {version: _read_response(sock) for version, sock in phones.items()}
        for sock in phones.values():
            sock.close()

    head, _, body = responses["1.1"].partition(b"\r\n\r\n")
    assert b"transfer-encoding: chunked" in head.lower(), responses["1.1"].split(b"\r\n\r\n", 1)[1][:300]
    assert _statement_numbers(_dechunk(body)) == [1, 2, 3]
    head, _, body = responses["1.0"].partition(b"\r\n\r\n")
    assert b"transfer-encoding" not in head.lower()
    assert _statement_numbers(body) == [1, 2, 3]
