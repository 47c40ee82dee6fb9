"""Benchmark on issue 12's shape: 500 invited bodies, 30 sections, 300 answers with 1,500 characters per section.

Times every drafting-group page (target < 80 ms), all answers to one section (< 100 ms), the XLSX export
(< 300 ms) and the .docx compilation (< 2 s), beside /healthz measured in the same run (the floor: what any
request costs on this machine now). The app's objects are frozen for the cycle collector after create_app, as
in production (core.gc_freeze; testing mode, which the bench needs, skips it there). Prints the median and best
wall time and the median CPU time of this process (the database server's own work is not in it on PostgreSQL),
and at the end which targets the median wall times meet. On PostgreSQL the tables are vacuumed and analysed
after building, as autovacuum does to a live database. The invited-bodies page shows its first 100 bodies (it pages at 100).

    .venv/bin/python tests/bench/remiss_scale.py                      # scratch SQLite under /tmp
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_remiss .venv/bin/python tests/bench/remiss_scale.py
"""
import gc
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from core.extensions import db  # noqa: E402
from core.gc_freeze import freeze_loaded_objects  # noqa: E402
from core.models import Membership, Organisation, Role, User, UserRole, utcnow  # noqa: E402

N_BODIES, N_SECTIONS, N_ANSWERS, SECTION_CHARS = 500, 30, 300, 1_500
RUNS = 7
WORDS = ("dialog långsiktighet kvalitet öppenhet insyn självständighet oberoende mångfald samverkan region "
         "förening överenskommelse uppföljning delaktighet ideell sektor engagemang").split()


def text(rng, n):
    out, size = [], 0
    while size < n:
        w = rng.choice(WORDS)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:n]


def build(rng):
    from surveys.remiss.models import (
        InvitedBody,
        Remiss,
        RemissAnswer,
        RemissSection,
        SectionAnswer,
        remiss_drafters,
    )

    now = utcnow()
    user = User(email="bench@example.se", name="Bench")
    user.set_password("bench-lösenord-123")
    db.session.add(user)
    db.session.flush()
    db.session.add(UserRole(user_id=user.id, role=Role.SKRIVARGRUPP))
    remiss = Remiss(title="Bench", diarienummer="RS 1-2026", opens_at=now - timedelta(days=30),
                    deadline=now + timedelta(days=30), status="open")
    db.session.add(remiss)
    db.session.flush()
    db.session.execute(remiss_drafters.insert().values(remiss_id=remiss.id, user_id=user.id))
    db.session.execute(sa.insert(RemissSection), [
        {"remiss_id": remiss.id, "number": i, "heading": f"Avsnitt {i}", "text": text(rng, 1500)}
        for i in range(1, N_SECTIONS + 1)])
    section_ids = db.session.scalars(sa.select(RemissSection.id).where(RemissSection.remiss_id == remiss.id)
                                     .order_by(RemissSection.number)).all()
    forms = ["forening", "stiftelse", "natverk", "ekonomisk_forening", "trossamfund"]
    regions = ["goteborgsregionen", "skaraborg", "sjuharad", "fyrbodal", None]
    db.session.execute(sa.insert(Organisation), [
        {"name": f"Organisation {i:03d}", "legal_form": rng.choice(forms), "sub_region": rng.choice(regions),
         "notes": "", "needs_review": False} for i in range(N_BODIES)])
    org_ids = db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
    db.session.execute(sa.insert(Membership), [{"user_id": user.id, "organisation_id": org_ids[0], "can_sign": True}])
    db.session.execute(sa.insert(InvitedBody), [
        {"remiss_id": remiss.id, "organisation_id": oid, "status": "answered" if i < N_ANSWERS else "invited",
         "invited": True, "email": f"kontakt{i}@example.se"} for i, oid in enumerate(org_ids)])
    positions = ["tillstyrker", "tillstyrker_delvis", "avstyrker", "avstar"]
    total_chars = 0
    for i, oid in enumerate(org_ids[:N_ANSWERS]):
        general = text(rng, SECTION_CHARS)
        pos = rng.choice(positions)
        submitted = now - timedelta(days=rng.randint(0, 29), minutes=rng.randint(0, 1400))
        result = db.session.execute(sa.insert(RemissAnswer).returning(RemissAnswer.id), [{
            "remiss_id": remiss.id, "organisation_id": oid, "position": pos, "general_comment": general,
            "final_position": pos, "final_general_comment": general, "decided_by": "Styrelsen",
            "final_decided_by": "Styrelsen", "signatory": "", "final_signatory": "", "version": 2,
            "submitted_version": 2, "first_submitted_at": submitted, "submitted_at": submitted}])
        answer_id = result.scalar_one()
        per_section = SECTION_CHARS
        rows = []
        for sid in section_ids:
            comment = text(rng, per_section)
            rows.append({"answer_id": answer_id, "section_id": sid, "position": pos, "comment": comment,
                         "proposed_wording": "", "final_position": pos, "final_comment": comment,
                         "final_wording": "", "has_final": True})
            total_chars += len(comment)
        total_chars += len(general)
        db.session.execute(sa.insert(SectionAnswer), rows)
        if i % 50 == 0:
            db.session.flush()
    # The drafting group's work: a summary per section and overall, themes and handled quotes on every
    # fiftieth section comment (180 points), themes on every fifth general comment.
    from surveys.remiss.models import CommentTag, KeyQuote, RemissSummary, ThemeMark
    db.session.execute(sa.insert(RemissSummary), [
        {"remiss_id": remiss.id, "section_id": sid, "section_key": sid or 0, "text": text(rng, 1500), "version": 1}
        for sid in [None, *section_ids]])
    themes = ["Dialog", "Långsiktighet", "Kvalitet", "Öppenhet och insyn", "Mångfald", "Uppföljning"]
    rows = db.session.execute(sa.select(SectionAnswer.id, SectionAnswer.answer_id)
                              .where(SectionAnswer.section_id.in_(section_ids))).all()
    marked = rows[::50]
    db.session.execute(sa.insert(CommentTag), [{"section_answer_id": sid, "tag": rng.choice(themes)}
                                                for sid, _aid in marked])
    db.session.execute(sa.insert(KeyQuote), [
        {"section_answer_id": sid, "text": text(rng, 200), "handling": rng.choice(["beaktas", "beaktas_inte"]),
         "handling_reason": text(rng, 120)} for sid, _aid in marked])
    answer_ids = sorted({aid for _sid, aid in rows})
    db.session.execute(sa.insert(ThemeMark), [{"answer_id": aid, "tag": rng.choice(themes)}
                                              for aid in answer_ids[::5]])
    db.session.commit()
    return remiss.id, user, total_chars


def timed(client, url):
    """Median and best wall time, and median CPU time of this process (robust when the machine is busy;
    it leaves out the database server's own work), after two requests a running server would have had
    (templates compiled, statements cached)."""
    for _ in range(2):
        client.get(url)
    times, cpu = [], []
    size = 0
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = response.data
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        size = len(body)
    return statistics.median(times), min(times), statistics.median(cpu), size


def main():
    config = {"TESTING": True, "SECRET_KEY": "bench-secret-key-that-is-long-enough-0000",
              "RATELIMIT_ENABLED": False}
    tmp = None
    if not os.environ.get("DATABASE_URL"):  # else the app's config reads (and normalises) it
        tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp.name}"
    app = create_app(config)
    # What create_app does in production (GC_FREEZE, on by default) but not in testing mode, which the bench's
    # login and test client need: the loaded app's objects frozen out of the cycle collector's walks.
    freeze_loaded_objects()
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        remiss_id, _user, chars = build(random.Random(4))
        dialect = db.engine.dialect.name
        db.session.remove()
        if dialect == "postgresql":
            # What autovacuum does soon after a table grows by this much (9,000 rows): statistics for the planner
            # and the visibility map its index-only scans need. A database seconds old has neither.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs; gc.freeze() after create_app, as in production "
          f"(GC_FREEZE): {gc.get_freeze_count():,} objects frozen")
    print(f"database: {dialect}; built in {time.perf_counter() - start:.1f} s; "
          f"{N_ANSWERS} answers, {chars / 1e6:.1f} M characters of comments"
          + ("; VACUUM ANALYZE after building, as autovacuum would" if dialect == "postgresql" else ""))
    # Requests from outside any app context, as in production: each gets its own app context and database
    # session. (Inside the build's context they all shared one, with its identity map and transaction.)
    client = app.test_client()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": "bench@example.se", "password": "bench-lösenord-123",
                                           "csrf_token": token})
    assert response.status_code == 302, "bench login failed"
    base = f"/remisser/{remiss_id}"
    pages = [("/healthz", "/healthz", None),
             ("remiss page", base, 80), ("sections (underlag)", f"{base}/underlag", 80),
             ("invited bodies", f"{base}/instanser", 80), ("dashboard", f"{base}/oversikt", 80),
             ("compilation page", f"{base}/sammanstallning", 80),
             ("per-section view", f"{base}/oversikt/avsnitt/15", 100),
             ("XLSX export", f"{base}/sammanstallning.xlsx", 300), ("CSV export", f"{base}/sammanstallning.csv", 300),
             ("themes page", f"{base}/teman", 80), (".docx compilation", f"{base}/sammanstallning.docx", 2000)]
    print(f"{'page':22s} {'median':>9s} {'best':>9s} {'cpu':>9s} {'size':>9s}  target")
    met, missed = [], []
    for label, path, target in pages:
        median, best, cpu, size = timed(client, path)
        flag = "" if target is None else ("ok" if median < target else "SLOW")
        print(f"{label:22s} {median:7.1f}ms {best:7.1f}ms {cpu:7.1f}ms {size / 1024:7.0f}kB  "
              f"{'' if target is None else f'< {target} ms '}{flag}")
        if target is not None:
            (met if median < target else missed).append(f"{label} ({median:.0f}/{target} ms, cpu {cpu:.0f})")
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load_after:.1f} at the end")
    print(f"targets met (median wall): {len(met)} of {len(met) + len(missed)}"
          + (f"; not met: {', '.join(missed)}" if missed else " (all)"))
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    if tmp:
        os.unlink(tmp.name)


if __name__ == "__main__":
    main()
