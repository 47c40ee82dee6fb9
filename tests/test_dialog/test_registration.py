"""Registration rules: capacity, waiting list, deadline, same email, links, organisations, walk-ins."""
from datetime import timedelta

import pytest

from core.models import Organisation, utcnow
from dialog import registration as svc
from dialog.meetings import change_status, save_meeting
from dialog.models import MeetingStatus, RegistrationStatus


def test_capacity_puts_the_rest_on_the_waiting_list(make_meeting, outbox):
    meeting = make_meeting(capacity=2)
    outcomes = [svc.register(meeting, f"Person {i}", f"p{i}@example.se", consent=True)[1] for i in range(4)]
    assert outcomes == ["registered", "registered", "waiting", "waiting"]
    assert meeting.registered_count == 2 and meeting.waiting_count == 2
    # The confirmation carries the calendar file; the waiting list mail does not.
    confirmed = outbox[0]
    assert "Bekräftelse" in confirmed["Subject"]
    attachments = list(confirmed.iter_attachments())
    assert attachments[0].get_filename() == "mote.ics"
    assert attachments[0].get_content_type() == "text/calendar"
    assert "/moten/anmalan/" in confirmed.get_body(("plain",)).get_content()
    assert "väntelistan" in outbox[2]["Subject"]
    assert not list(outbox[2].iter_attachments())


def test_cancel_promotes_first_waiting_and_tells_them(make_meeting, outbox, db):
    meeting = make_meeting(capacity=1)
    first, _ = svc.register(meeting, "Först", "forst@example.se", consent=True)
    second, _ = svc.register(meeting, "Andra", "andra@example.se", consent=True)
    third, _ = svc.register(meeting, "Tredje", "tredje@example.se", consent=True)
    outbox.clear()
    promoted = svc.cancel_registration(first)
    assert promoted == [second]
    assert second.status == RegistrationStatus.REGISTERED
    assert third.status == RegistrationStatus.WAITING
    subjects = {m["To"]: m["Subject"] for m in outbox}
    assert "Du har fått en plats" in subjects["andra@example.se"]
    assert "Avbokad" in subjects["forst@example.se"]
    assert list(next(m for m in outbox if m["To"] == "andra@example.se").iter_attachments())


def test_cancelling_a_waiting_registration_promotes_nobody(make_meeting):
    meeting = make_meeting(capacity=1)
    svc.register(meeting, "A", "a@example.se", consent=True, send=False)
    waiting, _ = svc.register(meeting, "B", "b@example.se", consent=True, send=False)
    assert svc.cancel_registration(waiting, send=False, tell_registrant=False) == []
    assert meeting.registered_count == 1


def test_raising_capacity_promotes_the_waiting_list(make_meeting):

    meeting = make_meeting(capacity=1)
    svc.register(meeting, "A", "a@example.se", consent=True, send=False)
    waiting, _ = svc.register(meeting, "B", "b@example.se", consent=True, send=False)
    promoted = save_meeting(meeting, {"capacity": 2, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at})
    assert promoted == [waiting]


def test_closed_after_deadline(make_meeting):
    meeting = make_meeting(deadline_days=1)
    with pytest.raises(svc.RegistrationClosed, match="Sista anmälningsdag"):
        svc.register(meeting, "Sen", "sen@example.se", consent=True, now=utcnow() + timedelta(days=2))
    # Organisers may still register someone by hand.
    registration, outcome = svc.register(meeting, "Sen", "sen@example.se", by_organiser=True, send=False,
                                         now=utcnow() + timedelta(days=2))
    assert outcome == "registered"


def test_closed_when_not_open(make_meeting):
    meeting = make_meeting(status=MeetingStatus.PLANNED)
    with pytest.raises(svc.RegistrationClosed, match="inte öppen"):
        svc.register(meeting, "X", "x@example.se", consent=True)


def test_same_email_is_recognised_and_gets_the_link(make_meeting, outbox, db):
    meeting = make_meeting()
    first, _ = svc.register(meeting, "Anna", "Anna@Example.se", consent=True)
    outbox.clear()
    again, outcome = svc.register(meeting, "Någon annan", " anna@example.se ", consent=True)
    assert outcome == "existing" and again.id == first.id
    assert again.name == "Anna"  # nothing changed without the owner's link
    assert len(outbox) == 1 and "redan anmäld" in outbox[0]["Subject"]
    assert "/moten/anmalan/" in outbox[0].get_body(("plain",)).get_content()
    assert len(meeting.registrations) == 1


def test_update_through_the_link(make_meeting, make_organisation):
    meeting = make_meeting()
    org = make_organisation("RFSL Värmland")
    registration, _ = svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    svc.update_registration(registration, "Anna Andersson", organisation_id=org.id, dietary_needs="Vegetarisk")
    assert registration.organisation_name == "RFSL Värmland"
    assert registration.dietary_needs == "Vegetarisk"


def test_reregistering_after_cancel_reuses_the_row_and_goes_to_the_back(make_meeting):
    meeting = make_meeting(capacity=1)
    anna, _ = svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    svc.cancel_registration(anna, send=False, tell_registrant=False)
    bo, _ = svc.register(meeting, "Bo", "bo@example.se", consent=True, send=False)
    again, outcome = svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    assert again.id == anna.id and outcome == "waiting"
    assert bo.status == RegistrationStatus.REGISTERED


def test_signed_link_roundtrip_and_tampering(make_meeting):
    meeting = make_meeting()
    registration, _ = svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    token = svc.make_link_token(registration)
    assert svc.registration_from_token(token) is registration
    assert svc.registration_from_token(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]) is None
    assert svc.registration_from_token("nonsense") is None
    other, _ = svc.register(meeting, "Bo", "bo@example.se", consent=True, send=False)
    assert svc.registration_from_token(svc.make_link_token(other)) is other


def test_new_organisation_is_suggested_for_review(make_meeting, make_organisation, db):
    make_organisation("Fritidsbanken")
    meeting = make_meeting()
    reg, _ = svc.register(meeting, "A", "a@example.se", new_organisation="  Nya   Föreningen ", consent=True,
                          send=False)
    assert reg.organisation.name == "Nya Föreningen" and reg.organisation.needs_review
    reg2, _ = svc.register(meeting, "B", "b@example.se", new_organisation="fritidsbanken", consent=True,
                           send=False)
    assert not reg2.organisation.needs_review  # an existing name is matched, not duplicated
    assert db.session.query(Organisation).count() == 2


def test_walk_in_is_present_at_once_and_checkin(make_meeting):
    meeting = make_meeting(capacity=1)
    svc.register(meeting, "A", "a@example.se", consent=True, send=False)
    walk_in = svc.add_walk_in(meeting, "Spontan Person", new_organisation="PRO")
    assert walk_in.attended and walk_in.walk_in and walk_in.status == RegistrationStatus.REGISTERED
    rows = svc.checkin_list(meeting, "spontan")
    assert rows == [walk_in]
    registered = svc.checkin_list(meeting, "a@example")[0]
    svc.set_attendance(registered, True)
    assert meeting.attended_count == 2
    svc.set_attendance(registered, False)
    assert meeting.attended_count == 1


def test_cancelling_the_meeting_tells_everyone_with_a_cancel_ics(make_meeting, outbox):

    meeting = make_meeting(capacity=1)
    svc.register(meeting, "A", "a@example.se", consent=True, send=False)
    svc.register(meeting, "B", "b@example.se", consent=True, send=False)
    gone, _ = svc.register(meeting, "C", "c@example.se", consent=True, send=False)
    svc.cancel_registration(gone, send=False, tell_registrant=False)
    change_status(meeting, "cancel")
    assert sorted(m["To"] for m in outbox) == ["a@example.se", "b@example.se"]
    ics = next(outbox[0].iter_attachments()).get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
