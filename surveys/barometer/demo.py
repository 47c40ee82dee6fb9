"""Demo data: the Värmland barometer of 23 October 2015 (sources/004) with a live session VARM15."""
import sqlalchemy as sa

from core.extensions import db
from core.models import User
from surveys.barometer import authoring, sessions
from surveys.barometer.models import Barometer, LiveSession

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
