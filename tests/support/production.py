"""The README's production server on a free loopback port, over a scratch database holding the demo session.

Shared by the benchmarks under tests/bench/ and the tests that need a real gunicorn (tests/test_barometer/
test_gevent.py), so all of them run exactly the command the README gives for production.
"""
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"  # loopback only
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def production_command(port, workers=2, log_level="warning"):
    """README.md, "Production": gunicorn with gevent workers (a phone's stream is a greenlet, not a thread)."""
    return [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-k", "gevent", "--worker-connections", "20000",
            "-b", f"{HOST}:{port}", "--graceful-timeout", "3", "--log-level", log_level, "app:create_app()"]


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(url, timeout=60, process=None):
    """Until url answers 200 (the master listens before its workers have loaded the app)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server ended with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def production_server(env, log_path, workers=2, log_level="warning", timeout=120):
    """Run the production command with env; yield (base URL, master process). On an error the log's tail
    is printed; the server is always stopped."""
    port = free_port()
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(production_command(port, workers, log_level), cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    try:
        wait_for(base + "/healthz", timeout, proc)
        yield base, proc
    except BaseException:
        log.flush()
        print("--- gunicorn log (tail) ---\n" + "".join(Path(log_path).read_text().splitlines(True)[-40:]),
              file=sys.stderr)
        raise
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def pg_admin_url():
    """The maintenance database of the PostgreSQL that DATABASE_URL (or PG_ADMIN_URL) names."""
    url = os.environ.get("PG_ADMIN_URL") or os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql")):
        return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url).rsplit("/", 1)[0] + "/postgres"
    return PG_ADMIN_URL


def scratch_database(kind, workdir, name):
    """A new database with the schema and the demo data (the session VARM15).

    Returns (url, session id, [statement ids], cleanup). kind is "sqlite" (a file in workdir) or "postgres"
    (database `name`, dropped first and by cleanup)."""
    if kind == "sqlite":
        url, cleanup = f"sqlite:///{workdir}/{name}.sqlite3", (lambda: None)
    else:
        admin = pg_admin_url()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + "/" + name

        def cleanup():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # The schema from the metadata: a scratch database that only ever serves one run.
    script = (
        "from app import create_app\nfrom core.extensions import db\nfrom core.demo import seed_core\n"
        "from surveys.barometer.demo import seed_demo\napp = create_app()\n"
        "with app.app_context():\n    db.create_all()\n    seed_core()\n    s = seed_demo()\n"
        "    print(s.id, *[st.id for st in s.barometer.statements])\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180,
                         env=dict(os.environ, DATABASE_URL=url, REDIS_URL=""))
    if out.returncode != 0:
        cleanup()
        raise RuntimeError(out.stderr)
    ids = [int(x) for x in out.stdout.split()[-8:]]
    return url, ids[0], ids[1:], cleanup


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def _process_tree(pid):
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid, *map(int, children)]


def rss_mb(pid):
    """Resident memory of the master and its workers, in MB: (now, sum of each process's peak)."""
    now = peak = 0
    for p in _process_tree(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        now += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        peak += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return now / 1024, peak / 1024


def cpu_seconds(pid):
    """User + system CPU seconds used so far by the master and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks
