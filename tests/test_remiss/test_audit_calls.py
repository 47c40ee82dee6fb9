"""The remiss services leave a line in the audit trail (core.audit) for the actions that matter to openness."""
import sqlalchemy as sa

from core.models import AuditEvent
from surveys.remiss import managing, review


def trail(db):
    return [(e.action, e.target_type, e.target_id, e.details)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_publication_handling_and_personal_data_review_are_recorded(db, remiss, submitted, skrivare):
    managing.change_status(remiss, "close")
    managing.publish(remiss)
    managing.unpublish(remiss)
    [row] = review.section_comments(remiss, remiss.sections[0])
    quote = review.add_quote(row, "Bra avsnitt.", skrivare)
    review.set_handling(quote, "beaktas_delvis", "Delvis inarbetat.")
    review.review_personal_data(submitted)
    lines = [line for line in trail(db) if line[0] != "organisation.claimed"]
    assert lines == [
        ("remiss.published", "remisses", remiss.id, {}),
        ("remiss.unpublished", "remisses", remiss.id, {}),
        ("remiss.handling_decided", quote.__tablename__, quote.id, {"handling": "beaktas_delvis"}),
        ("remiss.personal_data_reviewed", submitted.__tablename__, submitted.id, {}),
    ]
