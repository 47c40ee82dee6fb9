"""What the barometer area offers the agreements' action plan as evidence: live sessions that have ended, and
the evaluations after meetings (issue 13; kind "barometer" too, as they are built on one, keyed by their session).

core/agreements reads it through core.registry (source "evidence:barometer"), so core never imports this area.
"""
import sqlalchemy as sa
from flask import url_for

from core.extensions import db
from core.timeutil import utc_to_local
from surveys.barometer.evaluation import answer_count
from surveys.barometer.models import Evaluation, LiveSession


def barometer_evidence():
    return live_session_evidence() + evaluation_evidence()


def evaluation_evidence():
    """Evaluations with at least one answer. Their session has no ended_at (never run live), so no evaluation
    is also offered as a live session."""
    evaluations = db.session.scalars(sa.select(Evaluation).order_by(Evaluation.created_at.desc()).limit(300))
    found = []
    for evaluation in evaluations:
        answers = answer_count(evaluation)
        if not answers:
            continue
        found.append({"kind": "barometer", "id": evaluation.session_id,
                      "label": f"{evaluation.barometer.title} ({answers} svar)",
                      "url": url_for("barometer.evaluation", evaluation_id=evaluation.id),
                      "year": utc_to_local(evaluation.created_at).year})
    return found


def live_session_evidence():
    sessions = db.session.scalars(sa.select(LiveSession).where(LiveSession.ended_at.is_not(None))
                                  .order_by(LiveSession.ended_at.desc()).limit(300))
    return [{"kind": "barometer", "id": s.id,
             "label": f"{s.barometer.title}{': ' + s.name if s.name else ''} ({utc_to_local(s.ended_at):%Y-%m-%d})",
             "url": url_for("barometer.results", session_id=s.id), "year": utc_to_local(s.ended_at).year}
            for s in sessions]
