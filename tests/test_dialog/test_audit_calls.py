"""The dialog services leave a line in the audit trail (core.audit): minutes approvals and GDPR erasure."""
import sqlalchemy as sa

from core.models import AuditEvent
from dialog import minutes as svc
from dialog import registration as reg_svc
from dialog.models import MeetingStatus
from dialog.privacy import anonymise_older_than, erase_person, erase_registration


def trail(db):
    return [(e.action, e.target_type, e.target_id, e.details, e.actor_id)
            for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_each_approval_is_recorded(db, make_meeting, moderator):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    svc.add_minutes_item(meeting, "Inledning", "Text.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth")
    justerare = svc.add_signer(meeting, "justerare", "Malin Berglund")
    svc.approve(taker, user=moderator)
    svc.approve(justerare)
    assert trail(db) == [
        ("minutes.approved", "meetings", meeting.id, {"signer_id": taker.id, "role": "sekreterare", "final": False},
         moderator.id),
        ("minutes.approved", "meetings", meeting.id, {"signer_id": justerare.id, "role": "justerare", "final": True},
         None),
    ]


def test_erasure_is_recorded_without_the_erased_data(db, make_meeting):
    meeting = make_meeting(days=10)
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    bo, _ = reg_svc.register(meeting, "Bo", "bo@example.se", consent=True, send=False)
    erase_person("anna@example.se")
    erase_registration(bo)
    anonymise_older_than(365)
    lines = trail(db)
    assert [line[:4] for line in lines] == [
        ("gdpr.erased", None, None, {"registrations": 1}),
        ("gdpr.erased", "registrations", bo.id, {}),
        ("gdpr.anonymised", None, None, {"registrations": 0, "older_than_days": 365}),
    ]
    assert "anna" not in str(lines).lower() and "Bo" not in str(lines)
