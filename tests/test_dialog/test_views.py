"""HTTP: public pages, registration with CSRF, personal links, organiser access, bad input, check-in."""
import io
import re
from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer

from core.models import utcnow
from core.timeutil import utc_to_local_naive
from dialog import minutes as minutes_svc
from dialog import registration as reg_svc
from dialog.models import Meeting, MeetingStatus, MinutesSigner, Registration, RegistrationStatus
from tests.conftest import csrf_token_from


def _local(value):
    return utc_to_local_naive(value).strftime("%Y-%m-%dT%H:%M")


def _reg_data(**overrides):
    data = {"name": "Anna Andersson", "email": "anna@example.se", "organisation_id": "0",
            "new_organisation": "", "dietary_needs": "", "accessibility_needs": "", "consent": "y"}
    data.update(overrides)
    return data


# --- public -------------------------------------------------------------------------------------

def test_public_index_and_meeting_page(client, make_meeting, db):
    upcoming = make_meeting(title="Dialogmöte 2 i Värmland", capacity=40)
    past = make_meeting(title="Dialogmöte 1 i Värmland", days=-100, status=MeetingStatus.HELD)
    html = client.get("/moten/").get_data(as_text=True)
    assert "Dialogmöte 2 i Värmland" in html and "Dialogmöte 1 i Värmland" in html
    assert "40 platser kvar" in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    page = client.get(f"/moten/{upcoming.id}").get_data(as_text=True)
    assert "Anmäl dig" in page and f"/moten/{upcoming.id}/mote.ics" in page
    assert "Anmäl dig" not in client.get(f"/moten/{past.id}").get_data(as_text=True)
    assert client.get("/moten/9999").status_code == 404
    assert "Dialogmöte 2 i Värmland" in client.get("/").get_data(as_text=True)  # home section


def test_ics_endpoints(client, make_meeting):
    meeting = make_meeting(title="Dialogmöte")
    response = client.get(f"/moten/{meeting.id}/mote.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT\r\n" in response.data
    feed = client.get("/moten/kalender.ics")
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8" and feed.data.count(b"BEGIN:VEVENT") == 1


def test_register_from_public_page(client, forms, make_meeting, outbox, db):
    meeting = make_meeting(capacity=10)
    url = f"/moten/{meeting.id}/anmalan"
    response = forms.post(url, _reg_data(new_organisation="Nya föreningen", dietary_needs="Vegan"))
    assert response.status_code == 200
    assert "Tack för din anmälan" in response.get_data(as_text=True)
    registration = db.session.scalar(db.select(Registration))
    assert registration.email == "anna@example.se" and registration.dietary_needs == "Vegan"
    assert registration.organisation.needs_review
    assert outbox[-1]["To"] == "anna@example.se"
    assert [a.get_filename() for a in outbox[-1].iter_attachments()] == ["mote.ics"]


def test_register_without_csrf_is_refused(client, make_meeting, db):
    meeting = make_meeting()
    response = client.post(f"/moten/{meeting.id}/anmalan", data=_reg_data())
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_register_bad_input_keeps_what_was_typed(forms, make_meeting, make_organisation, db):
    org = make_organisation("PRO")
    meeting = make_meeting()
    response = forms.post(f"/moten/{meeting.id}/anmalan",
                          _reg_data(email="inte-en-adress", consent="", organisation_id=str(org.id),
                                    new_organisation="Annan", dietary_needs="Nötallergi"))
    html = response.get_data(as_text=True)
    assert "Skriv en giltig e-postadress." in html
    assert "Du behöver godkänna" in html
    assert "Välj en organisation i listan eller skriv en ny, inte båda." in html
    assert 'value="Anna Andersson"' in html and "Nötallergi" in html and 'value="inte-en-adress"' in html
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def test_same_email_twice_is_recognised(forms, make_meeting, outbox, db):
    meeting = make_meeting()
    forms.post(f"/moten/{meeting.id}/anmalan", _reg_data())
    response = forms.post(f"/moten/{meeting.id}/anmalan", _reg_data(name="Någon annan", email="ANNA@example.se"))
    html = response.get_data(as_text=True)
    assert "Du är redan anmäld" in html
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 1
    assert "redan anmäld" in outbox[-1]["Subject"]


def test_closed_after_deadline(client, forms, make_meeting, db):
    meeting = make_meeting()
    meeting.registration_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    response = client.get(f"/moten/{meeting.id}/anmalan")
    assert "Anmälan är stängd" in response.get_data(as_text=True)
    token = forms.token(f"/moten/{meeting.id}")
    client.post(f"/moten/{meeting.id}/anmalan", data={**_reg_data(), "csrf_token": token})
    assert db.session.scalar(db.select(db.func.count(Registration.id))) == 0


def _link(registration):
    return "/moten/anmalan/" + reg_svc.make_link_token(registration)


def test_cancel_with_the_signed_link_promotes_the_waiting_list(client, forms, make_meeting, outbox, db):
    meeting = make_meeting(capacity=1)
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True)
    bo, _ = reg_svc.register(meeting, "Bo", "bo@example.se", consent=True)
    # The link in the confirmation mail is the one that works.
    body = outbox[0].get_body(("plain",)).get_content()
    link = re.search(r"http://[^/]+(/moten/anmalan/\S+)", body).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "Avboka min anmälan" in page.get_data(as_text=True)
    response = forms.post(link + "/avboka", {}, page=link, follow_redirects=True)
    assert "Din anmälan är avbokad" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, anna.id).status == RegistrationStatus.CANCELLED
    assert db.session.get(Registration, bo.id).status == RegistrationStatus.REGISTERED
    assert any(m["To"] == "bo@example.se" and "fått en plats" in m["Subject"] for m in outbox)


def test_update_through_the_link(forms, make_meeting, db):
    meeting = make_meeting()
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    link = _link(anna)
    db.session.commit()
    forms.post(link, {"name": "Anna A", "organisation_id": "0", "new_organisation": "",
                      "dietary_needs": "Laktosfri", "accessibility_needs": ""})
    db.session.expire_all()
    assert db.session.get(Registration, anna.id).dietary_needs == "Laktosfri"


def test_tampered_or_foreign_link_is_refused(client, forms, make_meeting, db):
    meeting = make_meeting()
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    link = _link(anna)
    db.session.commit()
    tampered = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    assert client.get(tampered).status_code == 404
    token = forms.token(link)
    assert client.post(tampered + "/avboka", data={"csrf_token": token}).status_code == 404
    # A token signed with another key (someone forging one for id 1) is refused too.

    forged = URLSafeSerializer("another-key", salt=reg_svc.LINK_SALT).dumps([anna.id, anna.link_nonce])
    assert client.post(f"/moten/anmalan/{forged}/avboka", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, anna.id).status == RegistrationStatus.REGISTERED


# --- organisers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [(None, 302), ("respondent", 403), ("skrivare", 403),
                                         ("moderator", 200), ("admin", 200)])
def test_only_organisers_and_admins_manage(request, client, auth, make_meeting, who, status):
    meeting = make_meeting()
    if who:
        auth.login_as(request.getfixturevalue(who))
    for url in ("/moten/hantera", f"/moten/hantera/{meeting.id}", f"/moten/hantera/{meeting.id}/andra",
                f"/moten/hantera/{meeting.id}/incheckning", f"/moten/hantera/{meeting.id}/anteckningar",
                f"/moten/hantera/{meeting.id}/anmalda.csv"):
        assert client.get(url).status_code == status, url


def test_respondent_cannot_post_organiser_actions(client, auth, forms, respondent, make_meeting, db):
    meeting = make_meeting()
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    auth.login_as(respondent)
    token = forms.token("/")
    assert client.post(f"/moten/hantera/{meeting.id}/status/cancel", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/moten/hantera/anmalan/{anna.id}/avboka", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/moten/hantera/anmalan/{anna.id}/narvaro",
                       data={"csrf_token": token, "present": "1"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.OPEN


def _meeting_form(**overrides):
    start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    data = {"title": "Samverkansgruppen maj", "kind": "samverkansgrupp", "series_id": "0", "description": "",
            "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2)), "place": "Vänersborg",
            "online_url": "", "organiser_id": "0", "moderator": "Moa", "chair": "", "panel": "", "contact": "",
            "capacity": "", "registration_deadline": "", "consent_text": "", "minute_taker": "",
            "principles": ["dialog", "kvalitet"], "levels": ["partnerskap"]}
    data.update(overrides)
    return data


def test_create_meeting(auth, forms, moderator, db):
    auth.login_as(moderator)
    form = _meeting_form()
    response = forms.post("/moten/hantera/nytt", form, page="/moten/hantera/nytt")
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.title == "Samverkansgruppen maj" and meeting.principles == ["dialog", "kvalitet"]
    assert meeting.created_by_id == moderator.id
    assert _local(meeting.starts_at) == form["starts_at"]  # typed and shown in Stockholm time


def test_bad_meeting_input_has_messages_beside_fields(auth, forms, moderator, db):
    auth.login_as(moderator)
    form = _meeting_form(registration_deadline=_local(utcnow() - timedelta(days=1)))
    form["ends_at"] = form["starts_at"].replace("T08", "T07")
    response = forms.post("/moten/hantera/nytt", form, page="/moten/hantera/nytt")
    html = response.get_data(as_text=True)
    assert "Mötet måste sluta efter att det börjar." in html
    assert "Sista anmälningsdag har redan passerat." in html
    assert 'value="Samverkansgruppen maj"' in html and 'value="Vänersborg"' in html
    assert re.search(r'id="ends_at-error"', html)
    response = forms.post("/moten/hantera/nytt", _meeting_form(starts_at="i morgon"), page="/moten/hantera/nytt")
    assert "Skriv datum och tid" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


def test_capacity_below_registrations_is_refused(auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(capacity=5)
    for i in range(3):
        reg_svc.register(meeting, f"P{i}", f"p{i}@example.se", consent=True, send=False)
    auth.login_as(moderator)
    url = f"/moten/hantera/{meeting.id}/andra"
    form = _meeting_form(starts_at=_local(meeting.starts_at), ends_at=_local(meeting.ends_at), capacity="2")
    html = forms.post(url, form, page=url).get_data(as_text=True)
    assert "Det finns redan 3 anmälda" in html
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).capacity == 5


def test_old_deadline_may_stay_when_editing(auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(status=MeetingStatus.PLANNED)
    meeting.registration_deadline = (utcnow() - timedelta(days=1)).replace(second=0, microsecond=0)
    db.session.commit()
    auth.login_as(moderator)
    url = f"/moten/hantera/{meeting.id}/andra"
    form = _meeting_form(starts_at=_local(meeting.starts_at), ends_at=_local(meeting.ends_at),
                         registration_deadline=_local(meeting.registration_deadline))
    assert forms.post(url, form, page=url).status_code == 302


def test_status_buttons_and_refused_transition(client, auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(status=MeetingStatus.PLANNED)
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}"
    forms.post(f"/moten/hantera/{meeting.id}/status/open", {}, page=page)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.OPEN
    response = forms.post(f"/moten/hantera/{meeting.id}/status/held", {}, page=page, follow_redirects=True)
    assert "inte börjat" in response.get_data(as_text=True)


def test_checkin_json_with_csrf_header_and_walk_in(client, auth, forms, moderator, make_meeting, db):
    meeting = make_meeting()
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    auth.login_as(moderator)
    page = client.get(f"/moten/hantera/{meeting.id}/incheckning?q=anna")
    html = page.get_data(as_text=True)
    assert "Anna" in html
    token = csrf_token_from(html)
    url = f"/moten/hantera/anmalan/{anna.id}/narvaro"
    assert client.post(url, data={"present": "1"}, headers={"Accept": "application/json"}).status_code == 400
    response = client.post(url, data={"present": "1"}, headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.get_json() == {"id": anna.id, "attended": True, "present_count": 1, "registered_count": 1}
    # Without JavaScript the same form redirects back to the list.
    response = client.post(url, data={"present": "0", "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Registration, anna.id).attended
    response = forms.post(f"/moten/hantera/{meeting.id}/spontan",
                          {"walkin-name": "Leif Tyrén", "walkin-email": "", "walkin-organisation_id": "0",
                           "walkin-new_organisation": "Värmlandskooperativen"},
                          page=f"/moten/hantera/{meeting.id}/incheckning")
    assert response.status_code == 302
    walk_in = db.session.scalar(db.select(Registration).where(Registration.name == "Leif Tyrén"))
    assert walk_in.walk_in and walk_in.attended
    tags = client.get(f"/moten/hantera/{meeting.id}/namnskyltar").get_data(as_text=True)
    assert "Leif Tyrén" in tags and "Värmlandskooperativen" in tags
    annex = client.get(f"/moten/hantera/{meeting.id}/bilaga").get_data(as_text=True)
    assert "Värmlandskooperativen" in annex


def test_manual_registration_and_export(client, auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(capacity=1)
    reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False)
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}"
    response = forms.post(f"/moten/hantera/{meeting.id}/anmal",
                          {"manual-name": "=Bo Berg", "manual-email": "", "manual-organisation_id": "0",
                           "manual-new_organisation": "", "manual-dietary_needs": "",
                           "manual-accessibility_needs": ""}, page=page)
    assert response.status_code == 302
    csv = client.get(f"/moten/hantera/{meeting.id}/anmalda.csv")
    text = csv.data.decode("utf-8-sig")
    assert "Anna" in text and "'=Bo Berg" in text  # organisers may exceed capacity; no CSV injection
    xlsx = client.get(f"/moten/hantera/{meeting.id}/anmalda.xlsx")
    assert xlsx.data[:2] == b"PK"


def test_minutes_tasks_and_carry_over_over_http(client, auth, forms, moderator, make_meeting, make_series, db):
    series = make_series()
    first = make_meeting(days=-7, status=MeetingStatus.HELD, series=series)
    nxt = make_meeting(days=21, series=series, title="Nästa möte")
    auth.login_as(moderator)
    page = f"/moten/hantera/{first.id}/anteckningar"
    forms.post(f"/moten/hantera/{first.id}/anteckningar/ny",
               {"new-heading": "Fortsättning framåt?", "new-body": "Samsyn råder.",
                "new-decisions": "Tre personer får ett tillfälligt uppdrag", "new-reason": ""}, page=page)
    forms.post(f"/moten/hantera/{first.id}/uppgifter",
               {"task-what": "Arbeta fram förslag till nästa möte", "task-who": "Monika Ståhl",
                "task-due_date": ""}, page=page)
    response = forms.post(f"/moten/hantera/{first.id}/uppgifter", {"task-what": "", "task-who": "X"}, page=page)
    assert response.status_code == 400 and "Fyll i det här fältet." in response.get_data(as_text=True)
    html = client.get(f"/moten/{nxt.id}").get_data(as_text=True)
    assert "Att följa upp från tidigare möten" in html and "Arbeta fram förslag till nästa möte" in html
    assert "Anteckningarna är inte justerade: visas bara för arrangörer." in html
    # Minutes, and the tasks they give, are public only once approved.
    assert "Samsyn råder." not in client.get(f"/moten/{first.id}").get_data(as_text=True)
    auth.logout()
    for url in (f"/moten/{nxt.id}", f"/moten/serier/{series.id}"):
        assert "Arbeta fram förslag till nästa möte" not in client.get(url).get_data(as_text=True)
    auth.login_as(moderator)
    for role, name in (("sekreterare", "Elisabeth"), ("justerare", "Malin")):
        forms.post(f"/moten/hantera/{first.id}/justerare",
                   {"signer-role": role, "signer-name": name, "signer-side": ""}, page=page)
    db.session.expire_all()
    for signer in db.session.get(Meeting, first.id).signers:
        forms.post(f"/moten/hantera/justerare/{signer.id}/godkann", {}, page=page)
    auth.logout()
    public = client.get(f"/moten/{first.id}").get_data(as_text=True)
    assert "Samsyn råder." in public and "Tre personer får ett tillfälligt uppdrag" in public
    following = client.get(f"/moten/{nxt.id}").get_data(as_text=True)
    assert "Arbeta fram förslag till nästa möte" in following and "inte justerade" not in following


def test_documents_upload_and_access(client, auth, forms, moderator, make_meeting, upload_dir, db):

    meeting = make_meeting()
    auth.login_as(moderator)
    url = f"/moten/hantera/{meeting.id}/dokument"
    token = forms.token(url)
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = client.post(url, data={"csrf_token": token, "title": "Inbjudan", "public": "y",
                                      "file": (io.BytesIO(pdf), "inbjudan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    response = client.post(url, data={"csrf_token": token, "title": "Intern", "file": (io.BytesIO(pdf), "intern.pdf")},
                           content_type="multipart/form-data")
    bad = client.post(url, data={"csrf_token": token, "title": "x", "file": (io.BytesIO(b"MZ..."), "virus.pdf")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "inte en PDF" in bad.get_data(as_text=True)
    public_doc, internal = db.session.get(Meeting, meeting.id).documents
    auth.logout()
    download = client.get(f"/moten/{meeting.id}/dokument/{public_doc.id}")
    assert download.status_code == 200 and download.data == pdf
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    assert client.get(f"/moten/{meeting.id}/dokument/{internal.id}").status_code == 404
    assert "Inbjudan" in client.get(f"/moten/{meeting.id}").get_data(as_text=True)


def test_series_pages_and_stats(client, auth, forms, moderator, make_meeting, make_series, db):
    series = make_series()
    make_meeting(days=-10, status=MeetingStatus.HELD, series=series)
    assert series.title in client.get(f"/moten/serier/{series.id}").get_data(as_text=True)
    auth.login_as(moderator)
    html = client.get(f"/moten/hantera/serier/{series.id}/statistik").get_data(as_text=True)
    assert 'data-plotly-for="chart-attendance"' in html
    assert client.get(f"/moten/hantera/serier/{series.id}/statistik.xlsx").data[:2] == b"PK"
    assert client.get(f"/moten/hantera/serier/{series.id}/statistik.csv").mimetype == "text/csv"
    response = forms.post("/moten/hantera/serier/ny", {"title": "Samverkansgruppen", "description": "",
                                                       "organiser_id": "0"}, page="/moten/hantera/serier/ny")
    assert response.status_code == 302


def test_erase_person_page(auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(days=-5, status=MeetingStatus.HELD)
    reg_svc.register(meeting, "Anna", "anna@example.se", by_organiser=True, send=False)
    auth.login_as(moderator)
    response = forms.post("/moten/hantera/personuppgifter", {"email": "anna@example.se"}, follow_redirects=True)
    assert "1 anmälningar är raderade" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(Registration)).anonymised


def test_pages_in_english(client, make_meeting):
    meeting = make_meeting(capacity=3)
    html = client.get("/moten/?lang=en").get_data(as_text=True)
    assert "Upcoming meetings" in html and "3 places left" in html
    assert "Registration" in client.get(f"/moten/{meeting.id}?lang=en").get_data(as_text=True)


def test_capacity_must_be_a_number(auth, forms, moderator, db):
    auth.login_as(moderator)
    html = forms.post("/moten/hantera/nytt", _meeting_form(capacity="fyrtio"), page="/moten/hantera/nytt").get_data(
        as_text=True)
    assert html.count("Skriv antalet platser som en siffra.") == 1 and 'value="fyrtio"' in html


def test_registration_is_rate_limited(app, client, forms, make_meeting, monkeypatch, db):
    monkeypatch.setitem(app.config, "DIALOG_REGISTER_LIMIT", "2 per minute")
    meeting = make_meeting()
    url = f"/moten/{meeting.id}/anmalan"
    token = forms.token(url)
    codes = [client.post(url, data={**_reg_data(email=f"p{i}@example.se"), "csrf_token": token}).status_code
             for i in range(3)]
    assert codes == [200, 200, 429]


def test_agenda_add_edit_reorder_delete(client, auth, forms, moderator, make_meeting, db):
    meeting = make_meeting()
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}"
    for title in ("Inledning", "Paneldebatt", "Fortsättning framåt?"):
        forms.post(f"/moten/hantera/{meeting.id}/dagordning",
                   {"agenda-title": title, "agenda-time_label": "09.00", "agenda-responsible": "",
                    "agenda-description": ""}, page=page)
    response = forms.post(f"/moten/hantera/{meeting.id}/dagordning", {"agenda-title": ""}, page=page)
    assert response.status_code == 400 and "Fyll i det här fältet." in response.get_data(as_text=True)
    db.session.expire_all()
    items = db.session.get(Meeting, meeting.id).agenda_items
    forms.post(f"/moten/hantera/dagordning/{items[2].id}/flytta/up", {}, page=page)
    forms.post(f"/moten/hantera/dagordning/{items[0].id}/andra",
               {"title": "Välkommen", "time_label": "09.15", "responsible": "Malin Berglund", "description": ""})
    forms.post(f"/moten/hantera/dagordning/{items[1].id}/ta-bort", {}, page=page)
    db.session.expire_all()
    agenda = db.session.get(Meeting, meeting.id).agenda_items
    assert [(i.position, i.title) for i in agenda] == [(1, "Välkommen"), (2, "Fortsättning framåt?")]
    printable = client.get(f"/moten/{meeting.id}/dagordning").get_data(as_text=True)
    assert "Välkommen" in printable and "Malin Berglund" in printable


def test_logged_in_respondent_gets_a_prefilled_form(client, auth, respondent, make_meeting):
    meeting = make_meeting()
    auth.login_as(respondent)
    html = client.get(f"/moten/{meeting.id}/anmalan").get_data(as_text=True)
    assert 'value="Svea Svarande"' in html and 'value="svarande@test.example"' in html
    assert re.search(r'<option selected value="\d+">Social Ekonomi Fyrbodal</option>', html)


def test_signers_approve_through_their_personal_links(client, auth, forms, moderator, make_meeting, outbox, db):
    meeting = make_meeting(days=-3, status=MeetingStatus.HELD, title="Dialogmöte i Värmland")
    meeting_id = meeting.id
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting_id}/anteckningar"
    assert "Skicka länk för justering" not in client.get(page).get_data(as_text=True)
    forms.post(f"/moten/hantera/{meeting_id}/anteckningar/ny",
               {"new-heading": "Fortsättning framåt?", "new-body": "Samsyn råder.\n\nAlla vill fortsätta.",
                "new-decisions": "Tre personer får ett tillfälligt uppdrag", "new-reason": ""}, page=page)
    forms.post(f"/moten/hantera/{meeting_id}/uppgifter",
               {"task-what": "Arbeta fram förslag", "task-who": "Monika Ståhl", "task-due_date": ""}, page=page)
    # A mistyped address is refused beside the field and what was typed stays.
    bad = forms.post(f"/moten/hantera/{meeting_id}/justerare",
                     {"signer-role": "justerare", "signer-name": "Malin Berglund", "signer-side": "Regionen",
                      "signer-email": "malin.example.se"}, page=page)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Skriv en giltig e-postadress." in html and 'value="malin.example.se"' in html
    for role, name, email in (("sekreterare", "Elisabeth", "Elisabeth@Example.se"),
                              ("justerare", "Malin Berglund", "malin@example.se")):
        response = forms.post(f"/moten/hantera/{meeting_id}/justerare",
                              {"signer-role": role, "signer-name": name, "signer-side": "",
                               "signer-email": email}, page=page)
        assert response.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "elisabeth@example.se" in html and "Skicka länk för justering" in html
    response = forms.post(f"/moten/hantera/{meeting_id}/justering/skicka", {}, page=page, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Länken har skickats till 2 personer." in html and "Länk skickad" in html
    assert sorted(m["To"] for m in outbox) == ["elisabeth@example.se", "malin@example.se"]
    auth.logout()

    links = {}
    for mail in outbox:
        body = mail.get_body(("plain",)).get_content()
        links[mail["To"]] = re.search(r"http://[^/]+(/moten/justera/\S+)", body).group(1)
    first = client.get(links["elisabeth@example.se"])
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Dialogmöte i Värmland" in html and "Elisabeth, du förde anteckningarna och godkänner dem här." in html
    assert "Samsyn råder." in html and "Alla vill fortsätta." in html
    assert "Tre personer får ett tillfälligt uppdrag" in html and "Arbeta fram förslag" in html
    assert "Jag godkänner anteckningarna" in html
    response = forms.post(links["elisabeth@example.se"], {"fingerprint": _fingerprint_in(html)},
                          page=links["elisabeth@example.se"], follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Tack! Ditt godkännande är registrerat." in html and "Du godkände anteckningarna" in html
    assert "Jag godkänner anteckningarna" not in html and "nu justerade och publicerade" not in html
    assert "Samsyn råder." not in client.get(f"/moten/{meeting_id}").get_data(as_text=True)

    second = links["malin@example.se"]
    html = client.get(second).get_data(as_text=True)
    assert "Malin Berglund, du är justerare och godkänner anteckningarna här." in html
    response = forms.post(second, {"fingerprint": _fingerprint_in(html)}, page=second, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Tack! Ditt godkännande är registrerat." in html
    assert "Anteckningarna är nu justerade och publicerade." in html
    public = client.get(f"/moten/{meeting_id}").get_data(as_text=True)
    assert "Samsyn råder." in public and "Tre personer får ett tillfälligt uppdrag" in public

    # Approving again (a second click, the back button) is harmless.
    again = forms.post(second, {"fingerprint": "gammalt"}, page=second, follow_redirects=True)
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "Du godkände anteckningarna" in html and "Tack!" not in html
    db.session.expire_all()
    assert all(s.approved_at and s.approved_by_id is None for s in db.session.get(Meeting, meeting_id).signers)


def _fingerprint_in(html):
    """The fingerprint of the minutes the page showed, as the approval form will post it."""
    return re.search(r'<input[^>]*name="fingerprint"[^>]*value="([0-9a-f]+)"', html).group(1)


def test_approval_link_refusals(client, forms, make_meeting, db):

    meeting = make_meeting(days=-3, status=MeetingStatus.HELD)
    item = minutes_svc.add_minutes_item(meeting, "Inledning", "Text före.")
    signer = minutes_svc.add_signer(meeting, "justerare", "Malin", email="malin@example.se")
    link = "/moten/justera/" + minutes_svc.make_approval_token(signer)
    assert client.get(link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")).status_code == 404
    assert client.get("/moten/justera/nonsens").status_code == 404
    english = client.get(link + "?lang=en").get_data(as_text=True)
    assert "Malin, you are an adjuster and approve the minutes here." in english and "I approve the minutes" in english
    # The minutes change while the signer reads: refused, and the new text is shown to read again.
    shown = minutes_svc.minutes_fingerprint(meeting)
    token = forms.token(link)
    minutes_svc.save_minutes_item(item, "Inledning", "Text efter.")
    response = client.post(link, data={"csrf_token": token, "fingerprint": shown})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Anteckningarna ändrades medan du läste. Läs igenom dem igen." in html and "Text efter." in html
    assert minutes_svc.minutes_fingerprint(meeting) in html
    # Without the CSRF token nothing is approved.
    response = client.post(link, data={"fingerprint": minutes_svc.minutes_fingerprint(meeting)})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(MinutesSigner, signer.id).approved_at is None
