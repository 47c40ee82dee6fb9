"""Ended live sessions are offered to the agreements' action plan as evidence; running ones are not."""
from core.agreements.actionplan import evidence_candidates
from core.models import utcnow


def test_only_ended_sessions_are_evidence(db, live_session):
    assert evidence_candidates("barometer") == []
    live_session.ended_at = utcnow()
    db.session.commit()
    [item] = evidence_candidates("barometer")
    assert item["id"] == live_session.id and item["url"] == f"/barometrar/sessioner/{live_session.id}/resultat"
    assert item["label"].startswith("Värmland 2015: Karlstad (")
