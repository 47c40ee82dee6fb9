"""Two app processes sharing Redis: an answer given through one reaches a presenter on the other."""
import http.cookiejar
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import pytest
import redis

from core.demo import DEMO_PASSWORD
from tests.support.production import ROOT, free_port, wait_for

REDIS_URL = os.environ.get("BAROMETER_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SECRET = "redis-test-secret-key-that-is-long-enough"

pytestmark = pytest.mark.redis


def redis_answers():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        return str(exc)
    return None


@pytest.fixture
def scratch_database(tmp_path):
    """A SQLite file with the schema and the demo barometer (VARM15), made by a separate process."""
    url = f"sqlite:///{tmp_path / 'redis-test.sqlite3'}"
    script = (
        "from app import create_app\n"
        "from core.extensions import db\n"
        "from core.demo import seed_core\n"
        "from surveys.barometer.demo import seed_demo\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {url!r}}})\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "    seed_core()\n"
        "    print(seed_demo().id)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, DATABASE_URL=url, REDIS_URL=""))
    assert out.returncode == 0, out.stderr
    return url, int(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def two_servers(scratch_database, tmp_path):
    reason = redis_answers()
    if reason:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {reason}")
    url, session_id = scratch_database
    env = dict(os.environ, DATABASE_URL=url, REDIS_URL=REDIS_URL, SECRET_KEY=SECRET,
               RATELIMIT_STORAGE_URI="memory://")
    procs, bases = [], []
    try:
        for _ in range(2):
            port = free_port()
            log = open(tmp_path / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - closed with the process
            procs.append((subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "-k", "gevent", "-w", "1",
                 "--graceful-timeout", "2", "-b", f"127.0.0.1:{port}", "app:create_app()"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            wait_for(base + "/healthz", timeout=90)  # a gevent worker boots slowly on a loaded machine
        yield bases, session_id
    finally:
        for proc, log in procs:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            log.close()


def login(base, email, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=5).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(base + "/login", data=data, timeout=5)
    return opener


def read_stream(opener, url, events, stop):
    """Put every (event, data) of an SSE stream on the queue until stop is set."""
    with opener.open(url, timeout=30) as response:
        name = None
        while not stop.is_set():
            line = response.readline().decode()
            if not line:
                return
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.put((name, json.loads(line[6:])))


def api(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None
                                     else None, headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_an_answer_through_one_process_reaches_the_presenter_on_the_other(two_servers):
    (first, second), session_id = two_servers
    presenter = login(second, "moderator@samrad.example", DEMO_PASSWORD)
    events, stop = queue.Queue(), threading.Event()
    reader = threading.Thread(target=read_stream, daemon=True,
                              args=(presenter, f"{second}/barometrar/sessioner/{session_id}/strom", events, stop))
    reader.start()
    start = time.monotonic()
    initial = None
    while time.monotonic() - start < 10 and initial is None:
        name, data = events.get(timeout=10)
        if name == "counts":
            initial = data
    assert initial is not None and initial["total"] == 0

    state = api(first, "GET", "/api/v1/live/VARM15")
    token = api(first, "POST", "/api/v1/live/VARM15/join", {"background": {}})["participant_token"]
    api(first, "PUT", f"/api/v1/live/VARM15/statements/{state['statement']['id']}/answer", {"value": 5}, token)
    answered = time.monotonic()

    seen = None
    while time.monotonic() - answered < 5:
        try:
            name, data = events.get(timeout=1)
        except queue.Empty:
            continue
        if name == "counts" and data["total"] == 1:
            seen = data
            break
    stop.set()
    assert seen is not None, "the presenter on the other process never saw the answer"
    assert seen["counts"] == [0, 0, 0, 0, 1]
    assert time.monotonic() - answered < 1.5  # within about a second, as on the big screen
