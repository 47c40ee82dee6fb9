"""Load benchmark of the live barometer: 2,000 phones join and answer the open statement at once.

Run on demand (not a test):

    .venv/bin/python tests/bench/barometer_load.py                 # scratch SQLite file
    .venv/bin/python tests/bench/barometer_load.py --db postgres   # scratch PostgreSQL database
    .venv/bin/python tests/bench/barometer_load.py --redis         # live channel over Redis

It starts gunicorn itself (`gunicorn -k gthread --threads 32 -w 2 'app:create_app()'` by default)
on a free loopback port, seeds the demo session VARM15, and drives it with an asyncio/aiohttp
generator: first /healthz (the ceiling of this server with this generator), then the joins, then
the answers, each participant sending its answers in order (some change their answer, some send
the same answer twice). A logged-in presenter stream watches the counts. It prints answers/s,
p50/p99 latency, server memory, the ratio to /healthz, the time until the presenter's numbers were
final, and checks that the stored counts equal the last answer of every participant, exactly.
Only 127.0.0.1 is ever contacted, and every phase is bounded in count and time.
"""
import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere
HOST = "127.0.0.1"  # loopback only
CODE = "VARM15"
TARGET_RATE, TARGET_RATIO, TARGET_P99_MS, TARGET_PRESENTER_S = 1000, 0.5, 250, 1.0


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def rss_mb(pid):
    """Resident memory of gunicorn's master and workers, in MB (now, and the peak per process)."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]
    now = peak = 0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        now += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        peak += int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return now / 1024, peak / 1024


# --- database ---------------------------------------------------------------------------------

def prepare_database(kind, workdir):
    """A scratch database with the schema and the demo data; returns (url, cleanup)."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir}/bench.sqlite3"
        cleanup = lambda: None  # noqa: E731 - the temporary folder goes away
    else:
        import psycopg

        admin = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
        name = f"bench_barometer_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0] + "/" + name

        def cleanup():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # The schema from the metadata: this scratch database only ever serves the benchmark.
    script = (
        "from app import create_app\nfrom core.extensions import db\nfrom core.demo import seed_core\n"
        "from surveys.barometer.demo import seed_demo\n"
        "app = create_app()\n"
        "with app.app_context():\n    db.create_all()\n    seed_core()\n    s = seed_demo()\n"
        "    print(s.id, s.current_statement_id)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, DATABASE_URL=url, REDIS_URL=""))
    if out.returncode != 0:
        cleanup()
        raise SystemExit(out.stderr)
    session_id, statement_id = map(int, out.stdout.split()[-2:])
    return url, session_id, statement_id, cleanup


def stored_counts(url, statement_id):
    script = (
        "import sqlalchemy as sa, sys\nfrom app import create_app\nfrom core.extensions import db\n"
        "from surveys.barometer.models import Answer\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    rows = db.session.execute(sa.select(Answer.value, sa.func.count()).where(Answer.statement_id == "
        f"{statement_id}).group_by(Answer.value)).all()\n"
        "    print({str(v): n for v, n in rows})\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, DATABASE_URL=url, REDIS_URL=""))
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    raw = eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own subprocess' repr of a dict
    return Counter({None if k == "None" else int(k): n for k, n in raw.items()})


# --- load -------------------------------------------------------------------------------------

async def run_requests(session, count, concurrency, make_request, deadline):
    """Run `count` requests with `concurrency` workers; returns (seconds, latencies in ms, errors)."""
    latencies, errors = [], Counter()
    next_index = iter(range(count))

    async def worker():
        for i in next_index:
            if time.monotonic() > deadline:
                errors["timeout"] += 1
                return
            start = time.perf_counter()
            status = await make_request(session, i)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 400:
                errors[status] += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies, errors


async def presenter_watch(base, session_id, expected, result, stop):
    """Log in as the demo moderator and read the presenter stream; note when the counts are final."""
    final_counts = [expected[v] for v in range(1, 6)]
    from core.demo import DEMO_PASSWORD

    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        page = await (await http.get(f"{base}/login")).text()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        await http.post(f"{base}/login", data={"csrf_token": token, "email": "moderator@samrad.example",
                                                "password": DEMO_PASSWORD})
        async with http.get(f"{base}/barometrar/sessioner/{session_id}/strom",
                            timeout=aiohttp.ClientTimeout(total=None, sock_read=None)) as response:
            result["connected"] = response.status == 200
            name = None
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[7:]
                elif line.startswith("data: ") and name == "counts":
                    data = json.loads(line[6:])
                    result["last"] = data
                    if data.get("counts") == final_counts and data.get("dont_know") == expected[None]:
                        result["final_at"] = time.monotonic()
                        result["final"] = data
                        return
                if stop.is_set():
                    return


async def bench(args, base, session_id, statement_id, server_pid):
    connector = aiohttp.TCPConnector(limit=args.concurrency, limit_per_host=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    deadline = time.monotonic() + args.max_seconds
    rng = random.Random(2015)
    report = {}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        # 1. /healthz: what this server and this generator can do at all.
        async def healthz(s, _i):
            async with s.get(f"{base}/healthz") as r:
                await r.read()
                return r.status

        await run_requests(http, 500, args.concurrency, healthz, deadline)  # warm-up
        seconds, lat, errors = await run_requests(http, args.healthz_requests, args.concurrency, healthz, deadline)
        report["healthz_rate"] = len(lat) / seconds
        report["healthz_p50"], report["healthz_p99"] = percentile(lat, 50), percentile(lat, 99)
        report["healthz_errors"] = dict(errors)

        # 2. 2,000 phones join.
        tokens = [None] * args.participants

        async def join(s, i):
            async with s.post(f"{base}/api/v1/live/{CODE}/join", json={"background": {}}) as r:
                body = await r.json()
                if r.status == 201:
                    tokens[i] = body["participant_token"]
                return r.status

        seconds, lat, errors = await run_requests(http, args.participants, args.concurrency, join, deadline)
        report["join_rate"], report["join_errors"] = len(lat) / seconds, dict(errors)
        if any(t is None for t in tokens):
            raise SystemExit(f"joins failed: {errors}")

        # 3. The presenter watches; every phone answers (some change, some double-tap).
        plans, expected = [], Counter()
        for _ in range(args.participants):
            first = rng.choice([1, 2, 3, 4, 5, None])
            roll = rng.random()
            if roll < 0.3:
                plan = [first, rng.choice([1, 2, 3, 4, 5, None])]  # changes its mind
            elif roll < 0.5:
                plan = [first, first]  # double tap / retry
            else:
                plan = [first]
            plans.append(plan)
            expected[plan[-1]] += 1
        sends = sum(len(p) for p in plans)
        watch, stop = {}, asyncio.Event()
        watcher = asyncio.create_task(presenter_watch(base, session_id, expected, watch, stop))
        await asyncio.sleep(1)
        url = f"{base}/api/v1/live/{CODE}/statements/{statement_id}/answer"
        latencies, errors, last_ack = [], Counter(), [0.0]
        queue = asyncio.Queue()
        for i in range(args.participants):
            queue.put_nowait(i)

        async def phone():
            while not queue.empty() and time.monotonic() < deadline:
                i = queue.get_nowait()
                headers = {"Authorization": f"Bearer {tokens[i]}"}
                for value in plans[i]:
                    start = time.perf_counter()
                    async with http.put(url, json={"value": value}, headers=headers) as r:
                        await r.read()
                        status = r.status
                    latencies.append((time.perf_counter() - start) * 1000)
                    if status != 200:
                        errors[status] += 1
                    last_ack[0] = time.monotonic()

        start = time.perf_counter()
        await asyncio.gather(*(phone() for _ in range(args.concurrency)))
        seconds = time.perf_counter() - start
        report.update(answers_sent=sends, answers_rate=len(latencies) / seconds, answer_errors=dict(errors),
                      answer_p50=percentile(latencies, 50), answer_p99=percentile(latencies, 99),
                      answer_max=max(latencies), answer_mean=statistics.fmean(latencies))
        report["rss_now"], report["rss_peak"] = rss_mb(server_pid)
        # /healthz again: the machine's load drifts, so the ratio uses the mean of before and after.
        seconds, lat, _errors = await run_requests(http, args.healthz_requests, args.concurrency, healthz, deadline)
        report["healthz_rate_after"] = len(lat) / seconds
        try:
            await asyncio.wait_for(watcher, timeout=10)
        except TimeoutError:
            stop.set()
            watcher.cancel()
        report["presenter_connected"] = watch.get("connected", False)
        report["presenter_delay"] = (watch["final_at"] - last_ack[0]) if "final_at" in watch else None
        report["presenter_final"] = watch.get("final") or watch.get("last")
        report["expected"] = expected
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--redis", action="store_true", help="live channel over Redis (REDIS_URL)")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--healthz-requests", type=int, default=10000)
    parser.add_argument("--max-seconds", type=float, default=240, help="stop every phase after this long")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, session_id, statement_id, cleanup = prepare_database(args.db, workdir)
        port = free_port()
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-key-long-enough-000000000000",
                   RATELIMIT_STORAGE_URI="memory://", LIVE_JOIN_LIMIT="100000 per minute",
                   REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14") if args.redis else "")
        command = [str(ROOT / ".venv/bin/gunicorn"), "-k", "gthread", "--threads", str(args.threads),
                   "-w", str(args.workers), "-b", f"{HOST}:{port}", "--graceful-timeout", "3",
                   "--log-level", "warning", "app:create_app()"]
        log = open(Path(workdir) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://{HOST}:{port}"
            for _ in range(150):
                try:
                    with socket.create_connection((HOST, port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.2)
            report = asyncio.run(bench(args, base, session_id, statement_id, server.pid))
        except BaseException:
            log.flush()
            print("--- gunicorn log (tail) ---\n" + "".join(open(log.name).readlines()[-40:]), file=sys.stderr)
            cleanup()
            raise
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
        stored = stored_counts(url, statement_id)
        cleanup()

    expected = report.pop("expected")
    exact = stored == expected
    healthz_rate = (report["healthz_rate"] + report["healthz_rate_after"]) / 2
    ratio = report["answers_rate"] / healthz_rate
    final = report["presenter_final"] or {}
    presenter_exact = final.get("total") == args.participants and final.get("counts") == [
        expected[v] for v in range(1, 6)] and final.get("dont_know") == expected[None]
    print(f"Barometer load benchmark — {args.db}{' + Redis' if args.redis else ''}, "
          f"gunicorn -k gthread -w {args.workers} --threads {args.threads}, {args.concurrency} concurrent clients")
    print(f"  load average       {os.getloadavg()[0]:8.2f} (this machine's 1-minute load at the end)")
    print(f"  /healthz           {report['healthz_rate']:8.0f} req/s   p50 {report['healthz_p50']:6.1f} ms   "
          f"p99 {report['healthz_p99']:6.1f} ms   (after the answers: {report['healthz_rate_after']:.0f} req/s)")
    print(f"  join               {report['join_rate']:8.0f} req/s   ({args.participants} participants)")
    print(f"  answers            {report['answers_rate']:8.0f} req/s   p50 {report['answer_p50']:6.1f} ms   "
          f"p99 {report['answer_p99']:6.1f} ms   max {report['answer_max']:.0f} ms   "
          f"({report['answers_sent']} sent, errors {report['answer_errors'] or 'none'})")
    print(f"  ratio to /healthz  {ratio:8.2f}")
    print(f"  server RSS         {report['rss_now']:8.0f} MB now, {report['rss_peak']:.0f} MB peak (all processes)")
    delay = report["presenter_delay"]
    shown = f"{delay:.2f} s after the last answer" if delay is not None else "NOT REACHED"
    print(f"  presenter final    {shown} (exact: {presenter_exact})")
    print(f"  stored counts      {'exact' if exact else 'MISMATCH'}: "
          f"{dict(sorted(stored.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))}")
    verdict = (report["answers_rate"] >= TARGET_RATE and ratio >= TARGET_RATIO
               and report["answer_p99"] < TARGET_P99_MS and exact and not report["answer_errors"]
               and delay is not None and delay <= TARGET_PRESENTER_S and presenter_exact)
    print(f"  targets (≥{TARGET_RATE}/s, ≥{TARGET_RATIO:.0%} of /healthz, p99 < {TARGET_P99_MS} ms, "
          f"presenter ≤ {TARGET_PRESENTER_S:.0f} s, 0 lost): {'MET' if verdict else 'NOT MET'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
