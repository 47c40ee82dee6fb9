"""Load benchmark of the live barometer: 2,000 phones join and answer the open statement at once.

Run on demand (not a test):

    .venv/bin/python tests/bench/barometer_load.py                 # scratch SQLite file
    .venv/bin/python tests/bench/barometer_load.py --db postgres   # scratch PostgreSQL database
    .venv/bin/python tests/bench/barometer_load.py --redis         # live channel over Redis

It starts the README's production command (gunicorn -k gevent, 2 workers; tests/support/production.py)
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
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere
from tests.support.production import (  # noqa: E402
    ROOT,
    percentile,
    production_server,
    rss_mb,
    scratch_database,
)

CODE = "VARM15"
TARGET_RATE, TARGET_RATIO, TARGET_P99_MS, TARGET_PRESENTER_S = 1000, 0.5, 250, 1.0


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
    parser.add_argument("--healthz-requests", type=int, default=10000)
    parser.add_argument("--max-seconds", type=float, default=240, help="stop every phase after this long")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        url, session_id, statements, cleanup = scratch_database(args.db, workdir, f"bench_barometer_{os.getpid()}")
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-key-long-enough-000000000000",
                   RATELIMIT_STORAGE_URI="memory://", LIVE_JOIN_LIMIT="100000 per minute",
                   REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14") if args.redis else "")
        try:
            with production_server(env, Path(workdir) / "gunicorn.log", args.workers) as (base, server):
                report = asyncio.run(bench(args, base, session_id, statements[0], server.pid))
            stored = stored_counts(url, statements[0])
        finally:
            cleanup()

    expected = report.pop("expected")
    exact = stored == expected
    healthz_rate = (report["healthz_rate"] + report["healthz_rate_after"]) / 2
    ratio = report["answers_rate"] / healthz_rate
    final = report["presenter_final"] or {}
    presenter_exact = final.get("total") == args.participants and final.get("counts") == [
        expected[v] for v in range(1, 6)] and final.get("dont_know") == expected[None]
    print(f"Barometer load benchmark — {args.db}{' + Redis' if args.redis else ''}, "
          f"gunicorn -w {args.workers} -k gevent --worker-connections 20000, {args.concurrency} concurrent clients")
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
