"""Followers benchmark of the live barometer (issue 10): N phones follow one session, the moderator moves on.

Run on demand (not a test):

    .venv/bin/python tests/bench/barometer_followers.py --phones 2000                   # scratch SQLite file
    .venv/bin/python tests/bench/barometer_followers.py --phones 2000 --db postgres --redis
    .venv/bin/python tests/bench/barometer_followers.py --phones 10000

It starts the server with the README's production command (gunicorn -k gevent, 2 workers) on a free
loopback port over a scratch database with the demo session VARM15, raises `ulimit -n`, and drives it
with --procs load-generator processes on the same machine, each an asyncio loop with a lean HTTP client
(phones.py): with aiohttp and one loop, the generator used more CPU than the server and its lag was
counted as the server's. Each phone behaves as the phone page does: it joins, opens the event stream
and, while the server refuses one, polls with If-None-Match every second with jitter, retrying the stream later. When every phone has the
first state, the moderator logs in, opens the real control page and presses "Nästa" (its form, with its
CSRF token). Every phone that sees the new statement answers it after a human pause (0 to --think
seconds), retrying on errors as the page does. Meanwhile /healthz and the home page are read every
100 ms. It prints phones, streams/polling, new statement seen p50/p99/max after the moderator's press,
phones that never saw it, answers/s, answer p50/p99, /healthz and home page p50 during, server peak RSS,
the CPU the server and the load generator used meanwhile, and checks that the stored answers are exactly
one per phone. Only 127.0.0.1 is contacted; every phase is bounded in time.
"""
import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import aiohttp

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]
import phones  # noqa: E402 - tests/bench/phones.py, beside this file

from core.demo import DEMO_PASSWORD  # noqa: E402
from tests.support.production import (  # noqa: E402
    ROOT,
    cpu_seconds,
    percentile,
    production_server,
    rss_mb,
    scratch_database,
)

CODE = "VARM15"
SEEN_TIMEOUT = 20.0
CEILING_SECONDS = 3.0


def raise_open_files():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for wanted in (1_048_576, 262_144, 65_536, hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(wanted, hard)))
            return wanted
        except (ValueError, OSError):
            continue
    return soft


def stored_answers(url, statement_id):
    script = (
        "import sqlalchemy as sa\nfrom app import create_app\nfrom core.extensions import db\n"
        "from surveys.barometer.models import Answer\napp = create_app()\n"
        "with app.app_context():\n"
        f"    q = sa.select(sa.func.count(), sa.func.count(sa.distinct(Answer.participant_id))).where("
        f"Answer.statement_id == {statement_id})\n"
        "    print(*db.session.execute(q).one())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, DATABASE_URL=url, REDIS_URL=""))
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    rows, distinct = map(int, out.stdout.split()[-2:])
    return rows, distinct


class Phone:
    def __init__(self):
        self.token = None
        self.mode = None  # "stream" | "poll"
        self.numbers = set()
        self.seen_at = None
        self.answer_ms = None
        self.answer_status = None
        self.answer_tries = 0


async def follow(server, phone, run):
    """As static/js/live-stream.js: stream; while refused, poll with ETag (1 s ± jitter); retry the stream."""
    etag, next_stream = None, 0.0
    auth = {"Authorization": f"Bearer {phone.token}"}

    def seen(state):
        number = (state.get("statement") or {}).get("number")
        if number is not None and number not in phone.numbers:
            phone.numbers.add(number)
            if number == run["target"] and phone.seen_at is None:
                phone.seen_at = time.monotonic()
                run["answer_tasks"].append(asyncio.ensure_future(answer(server, phone, run, state)))

    while not run["stop"].is_set():
        if time.monotonic() >= next_stream:
            try:
                phone.mode = "stream"
                refused = await phones.events(*server, f"/api/v1/live/{CODE}/events",
                                              lambda data: seen(json.loads(data)))
                if refused is None:
                    await asyncio.sleep(random.uniform(1, 3))  # the server's retry: field
                    continue
                next_stream = time.monotonic() + random.uniform(15, 25)
            except (OSError, TimeoutError, phones.HttpError):
                next_stream = time.monotonic() + random.uniform(1, 3)
        phone.mode = "poll"
        try:
            headers = dict(auth, **({"If-None-Match": etag} if etag else {}))
            status, head, body = await phones.request(*server, "GET", f"/api/v1/live/{CODE}", headers=headers)
            if status == 200:
                etag = head.get(b"etag", b"").decode() or None
                seen(body)
        except (OSError, TimeoutError, phones.HttpError):
            pass
        await asyncio.sleep(random.uniform(0.75, 1.25))


async def answer(server, phone, run, state):
    await asyncio.sleep(random.uniform(0, run["think"]))
    path = f"/api/v1/live/{CODE}/statements/{state['statement']['id']}/answer"
    value = random.choice([1, 2, 3, 4, 5, None])
    for attempt in range(6):
        phone.answer_tries += 1
        start = time.monotonic()
        try:
            phone.answer_status, _head, _body = await phones.request(
                *server, "PUT", path, {"value": value}, {"Authorization": f"Bearer {phone.token}"})
        except (OSError, TimeoutError, phones.HttpError) as exc:
            phone.answer_status = "network"
            run["answer_exceptions"].add(repr(exc)[:120])
        end = time.monotonic()
        run["answer_times"].append((start, end))
        if phone.answer_status == 200:
            phone.answer_ms = (end - start) * 1000
            return
        await asyncio.sleep(min(1 + attempt, 5) * random.uniform(0.75, 1.25))


# --- one load-generator process: a share of the phones ------------------------------------------------

def shard(conn, count, base, args, seed):
    """Runs in a child process: join `count` phones, report, wait for "go", report what they saw and answered."""
    random.seed(seed)
    asyncio.run(_shard(conn, count, base, args))


async def _shard(conn, count, base, args):
    loop = asyncio.get_running_loop()
    # Followers cancelled at the end end with errors nobody needs to read.
    loop.set_exception_handler(lambda loop, context: None)
    crowd = [Phone() for _ in range(count)]
    run = {"stop": asyncio.Event(), "target": 2, "think": args.think, "answer_tasks": [], "answer_times": [],
           "answer_exceptions": set()}
    address = urllib.parse.urlsplit(base)
    server = address.hostname, address.port
    # 1. Every phone joins (one venue: one address) and, as the page does, follows at once.
    queue, join_errors, followers = list(crowd), {}, []

    async def joiner():
        while queue:
            phone = queue.pop()
            for _ in range(5):
                try:
                    status, _head, body = await phones.request(*server, "POST", f"/api/v1/live/{CODE}/join",
                                                               {"background": {}})
                    if status == 201:
                        phone.token = body["participant_token"]
                        followers.append(asyncio.ensure_future(follow(server, phone, run)))
                        break
                    join_errors[status] = join_errors.get(status, 0) + 1
                except (OSError, TimeoutError, phones.HttpError) as exc:
                    join_errors[type(exc).__name__] = join_errors.get(type(exc).__name__, 0) + 1
                await asyncio.sleep(1)

    start = time.monotonic()
    concurrency = max(1, args.join_concurrency // args.procs)
    await asyncio.gather(*(joiner() for _ in range(concurrency)))
    join_seconds = time.monotonic() - start
    joined = [p for p in crowd if p.token]

    # 2. Until every one has the first state.
    deadline = time.monotonic() + args.connect_seconds
    while time.monotonic() < deadline and not all(1 in p.numbers for p in joined):
        await asyncio.sleep(0.5)
    conn.send({"joined": len(joined), "join_seconds": join_seconds, "join_errors": join_errors,
               "ready": sum(1 in p.numbers for p in joined)})

    # 3. "go": the moderator is about to press Nästa. Report when every phone saw it and answered.
    await loop.run_in_executor(None, conn.recv)
    cpu = time.process_time()
    deadline = time.monotonic() + SEEN_TIMEOUT + 5
    while time.monotonic() < deadline and not all(p.seen_at for p in joined):
        await asyncio.sleep(0.2)
    deadline = time.monotonic() + args.think + 60
    while time.monotonic() < deadline and not all(t.done() for t in run["answer_tasks"]):
        await asyncio.sleep(0.2)
    cpu = time.process_time() - cpu
    run["stop"].set()
    for task in followers + run["answer_tasks"]:
        task.cancel()
    await asyncio.gather(*followers, *run["answer_tasks"], return_exceptions=True)
    conn.send({
        "streams": sum(p.mode == "stream" for p in joined),
        "seen_at": [p.seen_at for p in joined if p.seen_at],
        "answer_ms": [p.answer_ms for p in joined if p.answer_status == 200],
        "answer_tries": sum(p.answer_tries for p in joined),
        "answer_failed": sorted({str(p.answer_status) for p in joined if p.seen_at and p.answer_status != 200}),
        "answer_exceptions": sorted(run["answer_exceptions"])[:3],
        "answer_span": ((min(s for s, _e in run["answer_times"]), max(e for _s, e in run["answer_times"]))
                        if run["answer_times"] else None),
        "cpu": cpu,
    })
    conn.close()


# --- the conductor: the moderator, the samplers, the figures ------------------------------------------

async def sample(http, url, out, stop):
    while not stop.is_set():
        start = time.monotonic()
        try:
            async with http.get(url) as r:
                await r.read()
                if r.status == 200:
                    out.append((time.monotonic() - start) * 1000)
        except (TimeoutError, aiohttp.ClientError):
            pass
        await asyncio.sleep(0.1)


async def moderator_page(http, base, session_id):
    """Log the moderator in and open the session's control page: the CSRF token of its "Nästa" form."""
    page = await (await http.get(f"{base}/login")).text()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    await http.post(f"{base}/login", data={"csrf_token": token, "email": "moderator@samrad.example",
                                            "password": DEMO_PASSWORD})
    page = await (await http.get(f"{base}/barometrar/sessioner/{session_id}")).text()
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


async def healthz_ceiling(server, concurrency=16):
    """/healthz per second on fresh connections, as the phones send their answers: what any request can reach on
    this machine now, with this load generator."""
    count, until = 0, time.monotonic() + CEILING_SECONDS

    async def client():
        nonlocal count
        while time.monotonic() < until:
            try:
                status = (await phones.request(*server, "GET", "/healthz"))[0]
                count += status == 200  # not `count += await …`: that reads count before the await
            except (OSError, TimeoutError, phones.HttpError):
                pass

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return count / CEILING_SECONDS


async def conduct(args, base, session_id, server_pid):
    address = urllib.parse.urlsplit(base)
    # Every worker compiles the home page's templates now, not in the middle of the moderator's change (where a
    # site that has been up for a while would not compile them either).
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as warm:
        async def home():
            async with warm.get(base + "/") as r:
                await r.read()
        await asyncio.gather(*(home() for _ in range(16)))
    ceiling = await healthz_ceiling((address.hostname, address.port))
    context = multiprocessing.get_context("fork")
    sizes = [args.phones // args.procs + (i < args.phones % args.procs) for i in range(args.procs)]
    pipes, children = [], []
    for i, size in enumerate(sizes):
        parent_end, child_end = context.Pipe()
        child = context.Process(target=shard, args=(child_end, size, base, args, 1000 + i), daemon=True)
        child.start()
        pipes.append(parent_end)
        children.append(child)
    loop = asyncio.get_running_loop()

    async def from_all():
        return await asyncio.gather(*(loop.run_in_executor(None, p.recv) for p in pipes))

    try:
        joins = await from_all()
        joined = sum(j["joined"] for j in joins)
        ready = sum(j["ready"] for j in joins)
        join_errors = {}
        for j in joins:
            for key, n in j["join_errors"].items():
                join_errors[key] = join_errors.get(key, 0) + n
        await asyncio.sleep(2)  # let the last streams settle
        print(f"  ({joined} joined in {max(j['join_seconds'] for j in joins):.0f} s, {ready} following)",
              file=sys.stderr)

        healthz, home, stop_sampling = [], [], asyncio.Event()
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as side, \
                aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=60)) as moderator:
            token = await moderator_page(moderator, base, session_id)
            samplers = [asyncio.ensure_future(sample(side, f"{base}/healthz", healthz, stop_sampling)),
                        asyncio.ensure_future(sample(side, f"{base}/", home, stop_sampling))]
            for p in pipes:
                p.send("go")
            server_cpu, start = cpu_seconds(server_pid), time.monotonic()
            pressed = time.monotonic()
            async with moderator.post(f"{base}/barometrar/sessioner/{session_id}/next", data={"csrf_token": token},
                                      headers={"Accept": "application/json"}) as r:
                body = await r.json()
                if r.status != 200 or body["statement"]["number"] != 2:
                    raise SystemExit(f"the moderator's Nästa failed: {r.status} {body}")
            results = await from_all()
            server_cpu, wall = cpu_seconds(server_pid) - server_cpu, time.monotonic() - start
            rss_now, rss_peak = rss_mb(server_pid)
            stop_sampling.set()
            await asyncio.gather(*samplers)
    finally:
        for child in children:
            child.join(30)
            if child.is_alive():
                child.kill()

    spans = [r["answer_span"] for r in results if r["answer_span"]]
    span = (max(e for _s, e in spans) - min(s for s, _e in spans)) if spans else 0
    answer_ms = [ms for r in results for ms in r["answer_ms"]]
    seen = [(t - pressed) * 1000 for r in results for t in r["seen_at"]]
    return {
        "ceiling": ceiling, "phones": args.phones, "joined": joined, "join_seconds": max(j["join_seconds"] for j in joins),
        "join_errors": join_errors, "ready": ready,
        "streams": sum(r["streams"] for r in results), "seen": seen, "never": joined - len(seen),
        "answered": len(answer_ms), "answer_ms": answer_ms, "answers_per_s": len(answer_ms) / span if span else 0,
        "answer_tries": sum(r["answer_tries"] for r in results),
        "answer_failed": sorted({f for r in results for f in r["answer_failed"]}),
        "answer_exceptions": sorted({e for r in results for e in r["answer_exceptions"]})[:3],
        "healthz": healthz, "home": home, "rss_now": rss_now, "rss_peak": rss_peak,
        "server_cpu": server_cpu, "generator_cpu": sum(r["cpu"] for r in results), "wall": wall,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--db-name", default="samrad_bench_followers", help="scratch PostgreSQL database")
    parser.add_argument("--redis", action="store_true", help="REDIS_URL for the server")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--procs", type=int, default=4, help="load-generator processes")
    parser.add_argument("--think", type=float, default=10.0, help="phones answer within this many seconds")
    parser.add_argument("--join-concurrency", type=int, default=100)
    parser.add_argument("--connect-seconds", type=float, default=180)
    parser.add_argument("--server-log", help="keep gunicorn's log (info level) in this file")
    args = parser.parse_args()

    nofile = raise_open_files()
    with tempfile.TemporaryDirectory() as workdir:
        url, session_id, statements, cleanup = scratch_database(args.db, workdir, args.db_name)
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-key-long-enough-000000000000",
                   REDIS_URL=args.redis_url if args.redis else "")
        env.pop("RATELIMIT_STORAGE_URI", None)
        log_path = args.server_log or Path(workdir) / "gunicorn.log"
        try:
            with production_server(env, log_path, args.workers, "info" if args.server_log else "warning") as (
                    base, server):
                report = asyncio.run(conduct(args, base, session_id, server.pid))
            errors = [line for line in open(log_path) if "Error" in line or "Traceback" in line]
            rows, distinct = stored_answers(url, statements[1])
        finally:
            cleanup()

    r = report
    seen, answer_ms = r["seen"], r["answer_ms"]
    p = (lambda values, q: percentile(values, q) if values else float("nan"))  # noqa: E731
    print(f"Barometer followers benchmark — {args.db}{' + Redis' if args.redis else ''}, "
          f"gunicorn -w {args.workers} -k gevent --worker-connections 20000, ulimit -n {nofile}, "
          f"{args.procs} load-generator processes")
    print(f"  load average         {os.getloadavg()[0]:.2f} (1 min, at the end; {os.cpu_count()} CPUs)")
    print(f"  /healthz ceiling     {r['ceiling']:.0f} req/s on fresh connections from the same load generator, "
          f"before the phones joined")
    print(f"  phones               {r['joined']} of {r['phones']} joined in {r['join_seconds']:.1f} s "
          f"from one address (refusals: {r['join_errors'] or 'none'}); {r['ready']} had the first state")
    print(f"  streaming / polling  {r['streams']} / {r['joined'] - r['streams']}")
    print(f"  new statement seen   p50 {p(seen, 50):.0f} ms   p99 {p(seen, 99):.0f} ms   "
          f"max {max(seen) if seen else float('nan'):.0f} ms after the moderator pressed Nästa")
    print(f"  never saw it         {r['never']} (within {SEEN_TIMEOUT:.0f} s)")
    print(f"  answers              {r['answered']} stored, {r['answers_per_s']:.0f}/s, p50 {p(answer_ms, 50):.0f} ms   "
          f"p99 {p(answer_ms, 99):.0f} ms   ({r['answer_tries']} requests; failed: {r['answer_failed'] or 'none'})")
    if r["answer_exceptions"]:
        print(f"  answer errors        {r['answer_exceptions']}")
    print(f"  in the database      {rows} answers from {distinct} participants "
          f"({'exact' if rows == distinct == r['answered'] else 'MISMATCH'})")
    print(f"  /healthz during      p50 {p(r['healthz'], 50):.0f} ms   p99 {p(r['healthz'], 99):.0f} ms   "
          f"({len(r['healthz'])} samples)")
    print(f"  home page during     p50 {p(r['home'], 50):.0f} ms   p99 {p(r['home'], 99):.0f} ms")
    print(f"  CPU meanwhile        server {r['server_cpu']:.1f} s, load generator {r['generator_cpu']:.1f} s, "
          f"in {r['wall']:.1f} s on {os.cpu_count()} CPUs")
    print(f"  server RSS           {r['rss_now']:.0f} MB now, {r['rss_peak']:.0f} MB peak (all processes)")
    print(f"  server log errors    {len(errors)}")
    ok = (r["never"] == 0 and seen and p(seen, 99) < 1000 and answer_ms and p(answer_ms, 99) < 250
          and rows == distinct == r["answered"] == r["joined"] and p(r["healthz"], 50) < 100)
    print(f"  targets (seen p99 < 1 s, none missed, answer p99 < 250 ms, exact, /healthz p50 < 100 ms): "
          f"{'MET' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
