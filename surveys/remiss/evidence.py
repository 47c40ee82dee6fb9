"""What the remiss area offers the agreements' action plan as evidence: remisses whose answers are public.

core/agreements reads it through core.registry (source "evidence:remiss"), so core never imports this area.
"""
from flask import url_for

from core.timeutil import utc_to_local
from surveys.remiss.compilation import published_remisses


def remiss_evidence():
    return [{"kind": "remiss", "id": remiss.id, "label": f"{remiss.title} ({utc_to_local(remiss.deadline):%Y-%m-%d})",
             "url": url_for("remiss.public", remiss_id=remiss.id), "year": utc_to_local(remiss.deadline).year}
            for remiss, _count in published_remisses()]
