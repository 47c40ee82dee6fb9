"""Demo data: the Värmland barometer of 23 October 2015 (sources/004) with a live session VARM15."""
import hashlib
import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from core.extensions import db
from core.models import User, utcnow
from core.timeutil import local_to_utc, utc_to_local
from surveys.barometer import authoring, sessions
from surveys.barometer.models import Answer, Barometer, LiveSession, Participant, SessionState

DEMO_OWNER = "moderator@samrad.example"
DEMO_TITLE = "Åsiktsbarometer – Värmlands överenskommelse"
DEMO_CODE = "VARM15"
VARMLAND_STATEMENTS = [
    "Min organisation har något att tillföra till Värmlands utveckling!",
    "Vi har redan tillräckligt bra samverkan mellan offentligt och idéburet i länet!",
    "Vi i Värmland bör fortsätta arbetet med att få till en överenskommelse i länet!",
    "Överenskommelsearbetet kan göras utan att kosta pengar",
    "Den Värmländska överenskommelsen bör vara avgränsad till att bara gälla det sociala området!",
    "Integrationsarbetet ska vara utanför den Värmländska överenskommelsen!",
    "Den kommande regionen i Värmland är viktig för överenskommelsearbetet",
]


def seed_demo():
    """Idempotent: finds the barometer and the session by title and code before creating them."""
    owner = db.session.scalar(sa.select(User).where(User.email == DEMO_OWNER))
    barometer = db.session.scalar(sa.select(Barometer).where(Barometer.title == DEMO_TITLE))
    if barometer is None:
        barometer = authoring.create_barometer(
            owner, DEMO_TITLE,
            "Påståendena från dialogkonferensen i Karlstad den 23 oktober 2015. Deltagarna placerade sig "
            "mellan ”Jag håller INTE med” och ”Jag håller med”.",
        )
        for text in VARMLAND_STATEMENTS:
            authoring.add_statement(barometer, text)
    session = db.session.scalar(sa.select(LiveSession).where(LiveSession.code == DEMO_CODE))
    if session is None:
        session = sessions.start_session(barometer, owner, "Konferensen i Karlstad (demo)", code=DEMO_CODE)
        session.show_statement(barometer.statements[0])
        session.open_statement()
        db.session.commit()
    return session


# Two ended rounds this year (spring and autumn) with anonymous answers, so the agreements' action plan and
# yearly report have barometer results to show on a fresh `make run`.
REPORT_ROUNDS = [("Dialogkonferens i Vänersborg (demo)", "VBG001", 4, 24, 0.55),
                 ("Höstkonferens i Skövde (demo)", "SKV001", 10, 31, 0.7)]


def seed_report_demo():
    """Idempotent: finds the rounds by code. Answers are drawn with a fixed seed, so every run looks the same."""
    barometer = db.session.scalar(sa.select(Barometer).where(Barometer.title == DEMO_TITLE))
    if barometer is None or not barometer.statements:
        return
    owner = db.session.scalar(sa.select(User).where(User.email == DEMO_OWNER))
    now = utcnow()
    today = utc_to_local(now).date()
    rng = random.Random(2015)
    for number, (name, code, month, people, lean) in enumerate(REPORT_ROUNDS):
        if db.session.scalar(sa.select(LiveSession.id).where(LiveSession.code == code)) is not None:
            continue
        ended = local_to_utc(datetime(today.year, month, 14, 15, 0))
        if number == 0:
            ended = min(ended, now - timedelta(minutes=1))  # early in the year: the first round just ended
        elif ended >= now:
            continue  # the autumn round has not happened yet this year
        session = LiveSession(barometer=barometer, name=name, code=code, state=SessionState.ENDED,
                              created_by_id=owner.id if owner else None, created_at=ended - timedelta(hours=2),
                              ended_at=ended, results_shown=True)
        db.session.add(session)
        db.session.flush()
        for n in range(people):
            participant = Participant(session_id=session.id, token_hash=hashlib.sha256(f"{code}{n}".encode())
                                      .hexdigest(), created_at=ended - timedelta(hours=2))
            db.session.add(participant)
            db.session.flush()
            for statement in barometer.statements:
                if rng.random() < 0.08:
                    value = None  # "vet inte"
                else:
                    agree = rng.random() < lean
                    half = statement.steps // 2
                    value = rng.randint(statement.steps - half + 1, statement.steps) if agree else rng.randint(1, half)
                db.session.add(Answer(participant_id=participant.id, statement_id=statement.id,
                                      session_id=session.id, value=value, answered_at=ended - timedelta(hours=1)))
    db.session.commit()
