"""GDPR: erasing a person and anonymising old registrations keep the counts per organisation right."""
import sqlalchemy as sa

from core.models import OutboxMessage
from dialog import minutes as minutes_svc
from dialog import registration as reg_svc
from dialog.models import MeetingStatus, RegistrationStatus
from dialog.privacy import anonymise_older_than, erase_person, erase_registration
from dialog.registration import make_link_token, registration_from_token
from dialog.stats import participating_organisations


def test_erase_keeps_the_organisation_and_attendance(make_meeting, make_organisation):
    org = make_organisation("RSMH Värmland")
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", organisation_id=org.id, dietary_needs="Gluten",
                               by_organiser=True, send=False)
    bo, _ = reg_svc.register(meeting, "Bo", "bo@example.se", organisation_id=org.id, by_organiser=True, send=False)
    reg_svc.set_attendance(anna, True)
    reg_svc.set_attendance(bo, True)
    token = make_link_token(anna)
    assert erase_person("ANNA@example.se") == 1
    assert anna.name == "" and anna.email is None and anna.dietary_needs == "" and anna.anonymised
    assert anna.attended and anna.organisation_id == org.id
    assert participating_organisations(meeting) == [("RSMH Värmland", 2, org)]
    assert registration_from_token(token) is None  # the personal link dies with the data
    assert erase_person("nobody@example.se") == 0


def test_erase_removes_a_signers_address_but_not_their_name(make_meeting):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    minutes_svc.add_minutes_item(meeting, "Inledning", "Text.")
    signer = minutes_svc.add_signer(meeting, "justerare", "Malin Berglund", email="Malin@Example.se")
    other = minutes_svc.add_signer(meeting, "sekreterare", "Elisabeth", email="elisabeth@example.se")
    token = minutes_svc.make_approval_token(signer)
    assert erase_person("malin@example.se") == 0  # no registrations, but the address is gone
    assert signer.email is None and signer.name == "Malin Berglund"
    assert minutes_svc.signer_from_token(token) is None
    assert other.email == "elisabeth@example.se"


def test_erase_frees_an_upcoming_place_for_the_waiting_list(make_meeting, outbox):
    meeting = make_meeting(capacity=1)
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    bo, _ = reg_svc.register(meeting, "Bo", "bo@example.se", consent=True, send=False)
    erase_registration(anna)
    assert anna.status == RegistrationStatus.CANCELLED and anna.anonymised
    assert bo.status == RegistrationStatus.REGISTERED
    assert [m["To"] for m in outbox] == ["bo@example.se"]  # the erased person is not mailed


def test_anonymise_older_than(make_meeting, make_organisation):
    org = make_organisation("PRO")
    old = make_meeting(days=-400, status=MeetingStatus.HELD)
    recent = make_meeting(days=-10, status=MeetingStatus.HELD)
    a, _ = reg_svc.register(old, "Gammal", "g@example.se", organisation_id=org.id, by_organiser=True, send=False)
    b, _ = reg_svc.register(recent, "Ny", "n@example.se", organisation_id=org.id, by_organiser=True, send=False)
    assert anonymise_older_than(365) == 1
    assert a.anonymised and a.organisation_id == org.id and a.organisation_name == "PRO"
    assert not b.anonymised
    assert anonymise_older_than(365) == 0
    old_signer = minutes_svc.add_signer(old, "justerare", "Gammal Justerare", email="gj@example.se")
    recent_signer = minutes_svc.add_signer(recent, "justerare", "Ny Justerare", email="nj@example.se")
    anonymise_older_than(365)
    assert old_signer.email is None and old_signer.name == "Gammal Justerare"
    assert recent_signer.email == "nj@example.se"


def test_cli_command(runner, make_meeting, db):
    meeting = make_meeting(days=-100, status=MeetingStatus.HELD)
    reg_svc.register(meeting, "Gammal", "g@example.se", by_organiser=True, send=False)
    result = runner.invoke(args=["dialog-anonymise", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "Anonymiserade 1" in result.output
    db.session.expire_all()
    assert meeting.registrations[0].anonymised
    assert runner.invoke(args=["dialog-anonymise", "--older-than-days", "-1"]).exit_code != 0


def test_erasing_a_person_deletes_the_mails_to_them_from_the_outbox(make_meeting, db):
    meeting = make_meeting()
    reg_svc.register(meeting, "Anna", "anna@example.se", consent=True)  # a confirmation with her name and link
    reg_svc.register(meeting, "Bo", "bo@example.se", consent=True)
    erase_person("anna@example.se")
    assert db.session.scalars(sa.select(OutboxMessage.to_address)).all() == ["bo@example.se"]
