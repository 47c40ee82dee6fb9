"""Issue 13's rough edges: minutes only after the start, honest capacity, the minute-taker entered once,
and the distinct people and organisations over a series."""
import re

import pytest

from dialog import minutes as svc
from dialog import registration as reg_svc
from dialog.forms import MeetingForm
from dialog.models import MEETING_FIELDS, MeetingStateError, MeetingStatus
from dialog.stats import series_reach

# --- minutes only after the meeting's start (the rule of "mark as held") -------------------------------


def _ready_for_approval(meeting):
    svc.add_minutes_item(meeting, "Inledning", "Text.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth", email="elisabeth@example.se")
    svc.add_signer(meeting, "justerare", "Malin")
    return taker


def test_minutes_cannot_be_approved_or_sent_for_approval_before_the_start(make_meeting, outbox):
    meeting = make_meeting(days=3)
    taker = _ready_for_approval(meeting)
    with pytest.raises(MeetingStateError, match="inte börjat"):
        svc.approve(taker)
    with pytest.raises(MeetingStateError, match="inte börjat"):
        svc.request_approval(meeting)
    assert taker.approved_at is None and meeting.minutes_approved_at is None and not outbox


def test_minutes_can_be_approved_once_the_meeting_has_started(make_meeting):
    meeting = make_meeting(days=0, hours=3)  # starts now (to the minute)
    taker = _ready_for_approval(meeting)
    assert svc.approve(taker) is False  # the justerare has yet to approve
    assert taker.approved_at is not None


def test_approving_a_future_meeting_over_http_shows_why(client, auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(days=3)
    taker = _ready_for_approval(meeting)
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}/anteckningar"
    response = forms.post(f"/moten/hantera/justerare/{taker.id}/godkann", {}, page=page, follow_redirects=True)
    assert "Mötet har inte börjat än" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(taker), taker.id).approved_at is None


# --- capacity shown honestly when walk-ins exceed it ----------------------------------------------------

def test_capacity_with_walk_ins_beyond_it(client, auth, moderator, make_meeting):
    meeting = make_meeting(days=1, capacity=3)
    for n in range(3):  # full
        reg_svc.register(meeting, f"Person {n}", f"p{n}@example.se", consent=True, send=False)
    assert meeting.places_over == 0
    reg_svc.add_walk_in(meeting, "Leif Tyrén", new_organisation="Värmlandskooperativen")
    assert meeting.registered_count == 4 and meeting.places_over == 1 and meeting.places_left == 0
    auth.login_as(moderator)
    html = client.get(f"/moten/hantera/{meeting.id}").get_data(as_text=True)
    assert "4 deltagare</strong> (3 platser, 1 utöver)" in html
    assert "av 3 platser" not in html
    listing = client.get("/moten/hantera").get_data(as_text=True)
    assert "(1 utöver)" in listing


def test_capacity_within_it_reads_as_before(client, auth, moderator, make_meeting):
    meeting = make_meeting(capacity=3)
    reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    auth.login_as(moderator)
    html = client.get(f"/moten/hantera/{meeting.id}").get_data(as_text=True)
    assert "av 3 platser" in html and "utöver" not in html


# --- the minute-taker entered once ---------------------------------------------------------------------

def test_the_meeting_form_no_longer_asks_for_the_minute_taker(app):
    assert "minute_taker" not in MEETING_FIELDS
    with app.test_request_context():
        assert not hasattr(MeetingForm(), "minute_taker")


def test_the_signer_list_gives_the_minute_taker(make_meeting):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth Ehne Jangehammar")
    assert meeting.minute_taker == "Elisabeth Ehne Jangehammar"
    assert svc.minute_taker_of(meeting) is taker
    with pytest.raises(MeetingStateError, match="för redan anteckningarna"):
        svc.add_signer(meeting, "sekreterare", "Någon annan")
    svc.remove_signer(taker)
    assert meeting.minute_taker == "" and svc.minute_taker_of(meeting) is None
    svc.add_signer(meeting, "sekreterare", "Någon annan")
    assert meeting.minute_taker == "Någon annan"


def test_meeting_page_form_has_one_minute_taker_field(client, auth, moderator, make_meeting):
    meeting = make_meeting()
    auth.login_as(moderator)
    form = client.get(f"/moten/hantera/{meeting.id}/andra").get_data(as_text=True)
    assert "Vid anteckningarna" not in form
    minutes = client.get(f"/moten/hantera/{meeting.id}/anteckningar").get_data(as_text=True)
    assert "Vid anteckningarna" in minutes  # the signer list's role


# --- distinct people and organisations over a series ----------------------------------------------------

def test_series_reach_counts_each_person_and_organisation_once(make_meeting, make_series, make_organisation):
    series = make_series()
    first = make_meeting(days=-30, status=MeetingStatus.HELD, series=series)
    second = make_meeting(days=-2, status=MeetingStatus.HELD, series=series)
    club = make_organisation("Idrottsföreningen", legal_form="forening", sub_region="fyrbodal")
    coop = make_organisation("Kooperativet", legal_form="kooperativ", sub_region="skaraborg")
    for meeting in (first, second):
        anna, _ = reg_svc.register(meeting, "Anna", "ANNA@example.se", organisation_id=club.id, consent=True,
                                   send=False, by_organiser=True)
        reg_svc.set_attendance(anna, True)
        reg_svc.add_walk_in(meeting, "Bo Berg", organisation_id=coop.id)  # no email: known by name + org
    reg_svc.add_walk_in(second, "Cecilia", organisation_id=club.id, email="cecilia@example.se")
    absent, _ = reg_svc.register(second, "Frånvarande", "x@example.se", organisation_id=coop.id, consent=True,
                                 send=False, by_organiser=True)
    reach = series_reach([first, second])
    assert reach["people"] == 3 and reach["organisations"] == 2
    forms = {label: (people, orgs) for label, people, orgs in reach["by_legal_form"]}
    assert forms[str(club.legal_form_label)] == (2, 1) and forms[str(coop.legal_form_label)] == (1, 1)
    regions = {label: (people, orgs) for label, people, orgs in reach["by_region"]}
    assert regions[str(club.sub_region_label)] == (2, 1)


def test_series_statistics_page_shows_the_whole_process(client, auth, moderator, make_meeting, make_series):
    series = make_series()
    meeting = make_meeting(days=-2, status=MeetingStatus.HELD, series=series)
    reg_svc.add_walk_in(meeting, "Bo Berg", new_organisation="Nya föreningen")
    auth.login_as(moderator)
    html = client.get(f"/moten/hantera/serier/{series.id}/statistik").get_data(as_text=True)
    assert re.search(r"Personer som deltagit</dt>\s*<dd>1</dd>", html)
    assert re.search(r"Organisationer som deltagit</dt>\s*<dd>1</dd>", html)
    assert "Efter organisationsform" in html and "Efter delregion" in html
