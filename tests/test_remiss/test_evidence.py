"""Published remisses are offered to the agreements' action plan as evidence; others are not."""
from core.agreements.actionplan import evidence_candidates
from core.models import utcnow
from core.timeutil import utc_to_local


def test_only_published_remisses_are_evidence(db, remiss):
    assert evidence_candidates("remiss") == []
    remiss.published_at = utcnow()
    db.session.commit()
    [item] = evidence_candidates("remiss")
    assert item["id"] == remiss.id and item["url"] == f"/remisser/{remiss.id}/offentligt"
    assert item["label"].startswith("Förslag till överenskommelse (")
    assert item["year"] == utc_to_local(remiss.deadline).year
