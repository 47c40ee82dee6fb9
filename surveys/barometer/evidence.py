"""What the barometer area offers the agreements' action plan as evidence: live sessions that have ended.

core/agreements reads it through core.registry (source "evidence:barometer"), so core never imports this area.
"""
import sqlalchemy as sa
from flask import url_for

from core.extensions import db
from core.timeutil import utc_to_local
from surveys.barometer.models import LiveSession


def barometer_evidence():
    sessions = db.session.scalars(sa.select(LiveSession).where(LiveSession.ended_at.is_not(None))
                                  .order_by(LiveSession.ended_at.desc()).limit(300))
    return [{"kind": "barometer", "id": s.id,
             "label": f"{s.barometer.title}{': ' + s.name if s.name else ''} ({utc_to_local(s.ended_at):%Y-%m-%d})",
             "url": url_for("barometer.results", session_id=s.id), "year": utc_to_local(s.ended_at).year}
            for s in sessions]
