"""The demo: the Värmland meeting of sources/002 and the VGR series, loaded idempotently."""
import sqlalchemy as sa

from core.demo import seed_core
from dialog.demo import VARMLAND_SERIES, VGR_SERIES, seed_demo
from dialog.meetings import open_tasks_before
from dialog.models import Meeting, MeetingSeries, Registration
from dialog.stats import participating_organisations


def test_demo_is_complete_and_idempotent(db):
    seed_core()
    seed_demo()
    counts = [db.session.scalar(sa.select(sa.func.count(model.id))) for model in (Meeting, Registration)]
    seed_demo()
    assert [db.session.scalar(sa.select(sa.func.count(model.id))) for model in (Meeting, Registration)] == counts

    varmland = db.session.scalar(sa.select(MeetingSeries).where(MeetingSeries.title == VARMLAND_SERIES))
    held, upcoming = varmland.meetings
    assert held.moderator.startswith("Anders Andrén") and held.minutes_published
    assert [i.title for i in held.agenda_items][0] == "Inledning"
    annex = participating_organisations(held)
    assert len(annex) >= 45 and "RSMH Årjäng" in [name for name, _, _ in annex]
    assert any("Bosse Dalbo" in t.who and "Monika Ståhl" in t.who for t in held.tasks)
    assert upcoming.registration_is_open()
    assert {t.id for t in open_tasks_before(upcoming)} == {t.id for t in held.tasks}

    vgr = db.session.scalar(sa.select(MeetingSeries).where(MeetingSeries.title == VGR_SERIES))
    kinds = [m.kind for m in vgr.meetings]
    assert kinds.count("konferens") == 2 and kinds.count("dialogmote") == 4
    assert all(m.starts_at.year in (2013, 2014) for m in vgr.meetings)
