"""The demo: the Västra Götaland agreement and the 2024 IOP, loaded idempotently with a fresh `seed-demo`."""
import sqlalchemy as sa

from core.agreements import groups
from core.agreements.demo import VGR_TITLE
from core.agreements.models import (
    Agreement,
    Evidence,
    GroupKind,
    Indicator,
    Measure,
    Side,
    Signatory,
    StandingGroup,
)
from dialog.models import Meeting


def counts(db):
    return [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Agreement, Signatory, StandingGroup, Measure, Indicator, Evidence, Meeting)]


def test_seed_demo_loads_both_agreements_once(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = counts(db)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts(db) == first

    vgr = db.session.scalar(sa.select(Agreement).where(Agreement.title == VGR_TITLE))
    assert vgr.is_published and vgr.diary_number == "RS 767-2011" and vgr.representatives_among_signatories
    assert (len(vgr.principles), len(vgr.levels)) == (6, 4)
    assert sum(len(p.measures) for p in vgr.principles) == 26
    assert sum(len(p.indicators) for p in vgr.principles) == 37

    iop = db.session.scalar(sa.select(Agreement).where(Agreement.kind == "iop"))
    assert iop.notice_months == 6 and str(iop.period_start) == "2024-08-01" and str(iop.period_end) == "2025-12-31"
    assert {p.organisation.org_number: p.side for p in iop.parties} == {
        "232100-0131": Side.REGION, "769607-4496": Side.CIVIL_SOCIETY, "802418-4734": Side.CIVIL_SOCIETY,
        "802469-9889": Side.CIVIL_SOCIETY, "802473-5832": Side.CIVIL_SOCIETY}
    assert all(p.contact_name for p in iop.parties)
    assert {c.amount_sek for c in iop.contributions if c.amount_sek} == {300_000}

    steering = next(g for g in iop.groups if g.kind == GroupKind.STYRGRUPP)
    assert (steering.meetings_min_per_year, steering.meetings_min_spring, steering.meetings_min_autumn) == (4, 2, 2)
    assert len(steering.conveners) == 5 and groups.next_convener(steering) is not None
    target = groups.year_target(steering)
    assert target.total == 3 and target.missing == 1

    cooperation = next(g for g in vgr.groups if g.kind == GroupKind.SAMVERKANSGRUPP)
    assert groups.side_balance(cooperation).equal
    assert groups.year_target(cooperation).on_track
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting).where(Meeting.group_id.is_not(None))) > 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) > 0
