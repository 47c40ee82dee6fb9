"""Reaching the invited bodies and the public: the reminder CLI's BASE_URL, personal links in reminders, bodies
without an email address (personal links by hand, setting an address, sending again), and the public remiss list."""
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.config import load_config
from core.models import User, utcnow
from surveys.remiss import answering, claiming, compilation, managing
from surveys.remiss.models import InvitedBody, RemissError
from tests.test_remiss.conftest import fill

LINK_RE = re.compile(r"(https?://\S+/remisser/inbjudan/(\S+))")
NEW_PASSWORD = "en mening jag minns"


def _mail_to(outbox, to):
    return next(m for m in reversed(outbox) if m["To"] == to)


def _token(mail):
    return LINK_RE.search(mail.get_content()).group(2)


def _body_of(remiss, org):
    return next(b for b in remiss.bodies if b.organisation_id == org.id)


def _flashes(html):
    return " ".join(re.findall(r'<p class="flash[^"]*">(.*?)</p>', html, re.S))


class Anonymous:
    is_authenticated = False


# --- 1. BASE_URL for the reminder CLI ------------------------------------------------------------------------

def test_base_url_is_read_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("BASE_URL", raising=False)
    assert load_config(str(tmp_path))["BASE_URL"] is None
    monkeypatch.setenv("BASE_URL", " https://samrad.example.se/ ")
    assert load_config(str(tmp_path))["BASE_URL"] == "https://samrad.example.se"


@pytest.fixture
def due(make_remiss, make_organisation, outbox):
    """An open remiss whose automatic reminder is due, with one body to remind."""
    org = make_organisation("Förening C", contact_email="c@example.se")
    remiss = make_remiss(invite=[org], reminder_days_before=40)
    outbox.clear()
    return remiss


def test_reminder_cli_in_production_uses_base_url(app, runner, due, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "SAMRAD_ENV", "production")
    monkeypatch.setitem(app.config, "BASE_URL", "https://samrad.example.se")
    result = runner.invoke(args=["remiss-reminders"])
    assert result.exit_code == 0, result.output
    assert "1 påminnelser" in result.output and "Varning" not in result.output
    link, raw = LINK_RE.search(outbox[0].get_content()).groups()
    assert link.startswith("https://samrad.example.se/remisser/inbjudan/")
    assert managing.body_by_token(raw).id == due.bodies[0].id


def test_reminder_cli_in_production_without_base_url_stops(app, runner, due, outbox, monkeypatch, db):
    monkeypatch.setitem(app.config, "SAMRAD_ENV", "production")
    monkeypatch.setitem(app.config, "BASE_URL", None)
    result = runner.invoke(args=["remiss-reminders"])
    assert result.exit_code == 1
    message = [line for line in result.output.splitlines() if "BASE_URL" in line]
    assert len(message) == 1 and "BASE_URL saknas" in message[0] and "BASE_URL is not set" in message[0]
    assert outbox == []
    db.session.expire_all()
    assert due.last_auto_reminder_on is None and due.bodies[0].last_reminded_at is None


def test_reminder_cli_in_development_falls_back_with_a_warning(app, runner, due, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "SAMRAD_ENV", "development")
    monkeypatch.setitem(app.config, "BASE_URL", None)
    result = runner.invoke(args=["remiss-reminders"])
    assert result.exit_code == 0 and "Varning: BASE_URL är inte satt" in result.output
    assert LINK_RE.search(outbox[0].get_content()).group(1).startswith("http://127.0.0.1:5000/remisser/inbjudan/")


# --- 2. reminders carry a fresh personal link ----------------------------------------------------------------

def test_reminder_gives_a_fresh_personal_link_and_the_old_one_stops(make_remiss, make_organisation, outbox):
    org = make_organisation("Föreningen Utan Konton", contact_email="utan@example.se")
    remiss = make_remiss(invite=[org])
    first = _token(_mail_to(outbox, "utan@example.se"))
    assert managing.send_reminders(remiss) == 1
    mail = _mail_to(outbox, "utan@example.se")
    text = mail.get_content()
    second = _token(mail)
    assert "Påminnelse" in mail["Subject"] and second != first
    assert managing.body_by_token(first) is None and managing.body_by_token(second).organisation_id == org.id
    # Nobody from the organisation has an account: the link lets them create one, as the text says.
    assert "Har ni inget konto i Samråd kan ni skapa ett via länken." in text
    assert "den gamla fungerar inte längre" in text
    assert claiming.state(managing.body_by_token(second), Anonymous()).state == claiming.SIGNUP


def test_reminder_text_asks_organisations_with_accounts_to_log_in(make_remiss, fyrbodal, respondent, outbox, db,
                                                                   make_user):
    fyrbodal.contact_email = "fyrbodal@example.se"
    db.session.commit()
    remiss = make_remiss(invite=[fyrbodal])
    managing.invite(remiss, emails=[respondent.email])  # no organisation, but an account exists for the address
    managing.send_reminders(remiss)
    text = _mail_to(outbox, "fyrbodal@example.se").get_content()
    assert "skapa ett via länken" not in text
    assert "Social Ekonomi Fyrbodal har redan konton i Samråd: logga in med ert konto när ni öppnar länken." in text
    own = _mail_to(outbox, respondent.email).get_content()
    assert "skapa ett via länken" not in own and f"Det finns redan ett konto i Samråd för {respondent.email}" in own


def test_reminder_leaves_a_body_without_address_and_its_hand_made_link_alone(make_remiss, make_organisation,
                                                                           outbox, db):
    pro = make_organisation("PRO")
    remiss = make_remiss(invite=[pro])
    link = managing.create_personal_link(remiss.bodies[0])
    raw = link.rsplit("/", 1)[1]
    outbox.clear()
    assert managing.send_reminders(remiss) == 0 and outbox == []
    assert managing.body_by_token(raw).organisation_id == pro.id
    assert remiss.bodies[0].last_reminded_at is None


def test_reminder_over_http_carries_a_personal_link(client, auth, forms, skrivare, make_remiss, make_organisation,
                                                    outbox):
    org = make_organisation("Förening P", contact_email="p@example.se")
    remiss = make_remiss(invite=[org, make_organisation("PRO")])
    outbox.clear()
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    response = forms.post(f"/remisser/{remiss.id}/paminnelser", {}, page=page, follow_redirects=True)
    flashes = _flashes(response.get_data(as_text=True))
    assert "1 påminnelse skickades." in flashes and "Saknar e-postadress: PRO." in flashes
    assert [m["To"] for m in outbox] == ["p@example.se"]
    auth.logout()
    html = client.get(f"/remisser/inbjudan/{_token(outbox[0])}").get_data(as_text=True)
    assert "Skapa ett konto och svara" in html


# --- 3. bodies without an email address --------------------------------------------------------------------

def test_invite_reports_who_was_mailed_and_who_has_no_address(make_remiss, make_organisation, outbox):
    pro, radda = make_organisation("PRO"), make_organisation("Rädda barnen")
    mailed = make_organisation("Förening M", contact_email="m@example.se")
    remiss = make_remiss()
    outbox.clear()
    result = managing.invite(remiss, [pro, radda, mailed])
    assert len(result.added) == 3
    assert [b.organisation.name for b in result.mailed] == ["Förening M"]
    assert sorted(b.organisation.name for b in result.without_address) == ["PRO", "Rädda barnen"]
    assert [m["To"] for m in outbox] == ["m@example.se"]
    assert sorted(b.display_name for b in managing.unreachable_bodies(remiss)) == ["PRO", "Rädda barnen"]
    # In a draft nothing is mailed and no link exists yet; the addressless ones are still named.
    draft = make_remiss(status="draft", diarienummer="RS 2")
    outbox.clear()
    result = managing.invite(draft, [pro, mailed])
    assert result.mailed == [] and outbox == [] and [b.display_name for b in result.without_address] == ["PRO"]
    assert all(b.token_hash is None for b in draft.bodies)


def test_personal_link_by_hand_replaces_the_earlier_one(make_remiss, make_organisation, outbox):
    org = make_organisation("Förening L", contact_email="l@example.se")
    remiss = make_remiss(invite=[org])
    mailed = _token(outbox[-1])
    body = remiss.bodies[0]
    link = managing.create_personal_link(body)
    assert link.startswith("http://localhost/remisser/inbjudan/")
    assert managing.body_by_token(mailed) is None
    assert managing.body_by_token(link.rsplit("/", 1)[1]).id == body.id
    draft = make_remiss(status="draft", invite=[org], diarienummer="RS 2")
    with pytest.raises(RemissError, match="medan remissen är öppen"):
        managing.create_personal_link(draft.bodies[0])


def test_set_body_email_rules(make_remiss, make_organisation, db):
    registered = make_organisation("Registrerad", contact_email="registret@example.se")
    pro = make_organisation("PRO")
    remiss = make_remiss(invite=[registered, pro])
    managing.invite(remiss, emails=["a@example.se", "b@example.se"])
    body = _body_of(remiss, pro)
    with pytest.raises(RemissError, match="ingen giltig e-postadress"):
        managing.set_body_email(body, "pro-at-example")
    with pytest.raises(RemissError, match="Skriv en e-postadress"):  # neither its own nor the registry's
        managing.set_body_email(body, "")
    assert body.email is None
    managing.set_body_email(body, "  Kansli@PRO.example ")
    assert body.email == "kansli@pro.example" and managing.mail_address(body) == "kansli@pro.example"
    # Empty: back to the registry's address for an organisation, refused for an invitation by email alone.
    other = _body_of(remiss, registered)
    managing.set_body_email(other, "egen@example.se")
    managing.set_body_email(other, "")
    assert other.email is None and managing.mail_address(other) == "registret@example.se"
    by_email = next(b for b in remiss.bodies if b.email == "a@example.se")
    with pytest.raises(RemissError, match="behöver en e-postadress"):
        managing.set_body_email(by_email, " ")
    with pytest.raises(RemissError, match="redan inbjuden"):
        managing.set_body_email(by_email, "B@example.se")
    db.session.refresh(by_email)
    assert by_email.email == "a@example.se"


def test_resend_invitation(make_remiss, make_organisation, outbox):
    pro = make_organisation("PRO")
    remiss = make_remiss(invite=[pro])
    body = remiss.bodies[0]
    with pytest.raises(RemissError, match="PRO har ingen e-postadress"):
        managing.resend_invitation(body)
    managing.set_body_email(body, "kansli@pro.example")
    assert managing.resend_invitation(body) == "kansli@pro.example"
    first = _token(_mail_to(outbox, "kansli@pro.example"))
    managing.resend_invitation(body)
    mail = _mail_to(outbox, "kansli@pro.example")
    assert "Påminnelse" not in mail["Subject"] and "den gamla fungerar inte längre" in mail.get_content()
    assert managing.body_by_token(first) is None and managing.body_by_token(_token(mail)).id == body.id


def test_sign_up_from_a_link_that_went_to_no_address(make_remiss, make_organisation, respondent, db):
    pro = make_organisation("PRO")
    remiss = make_remiss(invite=[pro])
    body = remiss.bodies[0]
    raw = managing.create_personal_link(body).rsplit("/", 1)[1]
    with pytest.raises(claiming.ClaimError) as caught:
        claiming.sign_up(body, "Per", NEW_PASSWORD)
    assert caught.value.field == "email"
    with pytest.raises(claiming.ClaimError, match="Logga in med det") as caught:
        claiming.sign_up(body, "Per", NEW_PASSWORD, email=respondent.email)
    assert caught.value.field == "email"
    user, org = claiming.sign_up(managing.body_by_token(raw), "Per", NEW_PASSWORD, email=" Per@PRO.example ")
    assert user.email == "per@pro.example" and org.id == pro.id
    body = db.session.get(InvitedBody, body.id)
    assert body.email == "per@pro.example" and body.status == "opened"


def test_inviting_over_http_names_those_without_address(client, auth, forms, skrivare, make_remiss,
                                                        make_organisation, outbox):
    remiss = make_remiss()
    pro, radda = make_organisation("PRO"), make_organisation("Rädda barnen")
    mailed = make_organisation("Förening M", contact_email="m@example.se")
    outbox.clear()
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    response = forms.post(page, {"organisations": [str(pro.id), str(radda.id), str(mailed.id)]},
                          follow_redirects=True)
    html = response.get_data(as_text=True)
    flashes = _flashes(html)
    assert "3 remissinstanser lades till; 1 av dem fick en inbjudan med e-post." in flashes
    assert "Saknar e-postadress: PRO, Rädda barnen." in flashes and "skapa en länk att skicka själv" in flashes
    assert html.count("Ingen e-postadress") == 2 and "m@example.se" in html
    assert [m["To"] for m in outbox] == ["m@example.se"]


def test_opening_names_those_without_address(client, auth, forms, skrivare, make_remiss, make_organisation):
    remiss = make_remiss(status="draft", invite=[make_organisation("PRO"),
                                                 make_organisation("Förening M", contact_email="m@example.se")])
    auth.login_as(skrivare)
    response = forms.post(f"/remisser/{remiss.id}/status/open", {}, page=f"/remisser/{remiss.id}",
                          follow_redirects=True)
    flashes = _flashes(response.get_data(as_text=True))
    assert "1 inbjudan skickades." in flashes and "Saknar e-postadress: PRO." in flashes


def test_drafting_group_makes_a_personal_link_for_a_body_without_address(client, auth, forms, skrivare,
                                                                        make_remiss, make_organisation, db):
    pro = make_organisation("PRO")
    remiss = make_remiss(invite=[pro])
    body = remiss.bodies[0]
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    html = client.get(page).get_data(as_text=True)
    assert "Ingen e-postadress" in html and "Skapa personlig länk" in html and "Skicka inbjudan igen" not in html
    response = forms.post(f"/remisser/{remiss.id}/instanser/{body.id}/lank", {}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    link = re.search(r'<code class="token">(http://localhost/remisser/inbjudan/[^<]+)</code>', html).group(1)
    assert "Personlig länk för PRO" in html and "fungerar inte längre" in html
    assert "kan skapa ett via länken" in html
    second = forms.post(f"/remisser/{remiss.id}/instanser/{body.id}/lank", {}, page=page).get_data(as_text=True)
    assert link not in second
    auth.logout()
    assert client.get(link).status_code == 404  # replaced by the second link
    new_link = re.search(r'<code class="token">http://localhost(/remisser/inbjudan/[^<]+)</code>', second).group(1)
    html = client.get(new_link).get_data(as_text=True)
    assert "Skapa ett konto och svara" in html and 'name="email"' in html
    # A mistake keeps what was typed; then the account is made for the typed address.
    typed = {"name": "Pia Pensionär", "email": "pia-at-example", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = forms.post(new_link, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Skriv en giltig e-postadress." in html
    assert 'value="pia-at-example"' in html and "Pia Pensionär" in html
    response = forms.post(new_link, dict(typed, email="pia@pro.example"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/svar/{pro.id}")
    db.session.expire_all()
    assert db.session.scalar(sa.select(User).where(User.email == "pia@pro.example")).membership_for(pro.id)
    assert db.session.get(InvitedBody, body.id).email == "pia@pro.example"


def test_setting_an_address_then_sending_the_invitation_again(client, auth, forms, skrivare, make_remiss,
                                                              make_organisation, outbox, db):
    pro = make_organisation("PRO")
    remiss = make_remiss(invite=[pro])
    body = remiss.bodies[0]
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    url = f"/remisser/{remiss.id}/instanser/{body.id}/epost"
    response = forms.post(url, {"email": "kansli(at)pro"}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "”kansli(at)pro” är ingen giltig e-postadress." in html
    assert 'value="kansli(at)pro"' in html and 'aria-invalid="true"' in html
    response = forms.post(url, {"email": "kansli@pro.example"}, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#body-{body.id}")
    html = client.get(page).get_data(as_text=True)
    assert "E-postadressen för PRO är sparad." in html and "Skicka inbjudan igen" in html
    assert "Ingen e-postadress" not in html
    outbox.clear()
    response = forms.post(f"/remisser/{remiss.id}/instanser/{body.id}/skicka-igen", {}, page=page,
                          follow_redirects=True)
    assert "En ny inbjudan skickades till kansli@pro.example." in _flashes(response.get_data(as_text=True))
    assert [m["To"] for m in outbox] == ["kansli@pro.example"]
    assert managing.body_by_token(_token(outbox[0])).id == body.id


def test_body_writes_are_for_the_drafting_group_only(client, auth, forms, make_remiss, make_organisation,
                                                     other_drafter, respondent, outbox):
    remiss = make_remiss(invite=[make_organisation("PRO")])
    body = remiss.bodies[0]
    base = f"/remisser/{remiss.id}/instanser/{body.id}"
    for user in (other_drafter, respondent):
        auth.login_as(user)
        for action, data in (("lank", {}), ("epost", {"email": "x@example.se"}), ("skicka-igen", {})):
            response = forms.post(f"{base}/{action}", data, page="/")
            assert response.status_code in (403, 404), (user.email, action)
        auth.logout()
    response = forms.post(f"{base}/lank", {}, page="/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert body.token_hash is None and body.email is None and outbox == []


# --- 4. the public list ----------------------------------------------------------------------------------------

@pytest.fixture
def published(remiss, submitted, other_org, other_respondent, make_remiss):
    """The remiss with two submitted answers, one held back for personal data, published; and an unpublished one."""
    other = answering.get_or_start_answer(remiss, other_org.id, other_respondent)
    fill(other, other_respondent)
    answering.save_draft(other, other_respondent, other.version, {"contains_personal_data": True})
    answering.submit(other, other_respondent)
    managing.publish(remiss)
    # Closed: an open remiss is listed publicly since issue 12 (open participation); a closed one stays hidden.
    hidden = make_remiss(status="closed", title="Opublicerad remiss", diarienummer="RS 9")
    return remiss, hidden


def test_published_remisses_counts_only_public_answers(published, make_remiss):
    remiss, hidden = published
    now = utcnow()
    by_deadline = make_remiss(title="Vid svarsdatum", diarienummer="RS 3", publish_at_deadline=True,
                              opens_at=now - timedelta(days=10), deadline=now - timedelta(days=1))
    make_remiss(status="draft", title="Utkast", publish_at_deadline=True, opens_at=now - timedelta(days=10),
                deadline=now - timedelta(days=1))
    rows = compilation.published_remisses()
    assert [(r.id, n) for r, n in rows] == [(remiss.id, 1), (by_deadline.id, 0)]
    assert all(r.is_published() for r, _n in rows)
    assert compilation.published_remiss_count() == len(rows) == 2  # the home page's count, one query


def test_visitor_finds_published_remisses(client, published):
    remiss, hidden = published
    response = client.get("/remisser/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert remiss.title in html and remiss.diarienummer in html and hidden.title not in html
    assert f'href="/remisser/{remiss.id}/offentligt"' in html and "Publicerade svar" in html
    row = html.split(f'href="/remisser/{remiss.id}/offentligt"')[1].split("</tr>")[0]
    assert re.search(r">\s*1\s*</td>", row)
    assert "Logga in för att svara" in html
    home = client.get("/").get_data(as_text=True)
    assert "Svaren på 1 remiss är publicerade." in home and 'href="/remisser/"' in home


def test_visitor_is_sent_to_the_public_page_or_to_login(client, published):
    remiss, hidden = published
    response = client.get(f"/remisser/{remiss.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/remisser/{remiss.id}/offentligt")
    for url in (f"/remisser/{hidden.id}", "/remisser/99999"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_logged_in_users_see_their_remisses_and_the_published_list(client, auth, published, stranger, respondent,
                                                                  skrivare):
    remiss, hidden = published
    auth.login_as(stranger)
    html = client.get("/remisser/").get_data(as_text=True)
    assert "Publicerade remissvar" in html and f'href="/remisser/{remiss.id}/offentligt"' in html
    assert hidden.title not in html and "Logga in för att svara" not in html
    assert client.get(f"/remisser/{remiss.id}").status_code == 200  # published: readable, as before
    assert client.get(f"/remisser/{hidden.id}").status_code == 404
    auth.logout()
    auth.login_as(skrivare)
    html = client.get("/remisser/").get_data(as_text=True)
    assert "Remisser där du är i skrivargruppen" in html and hidden.title in html


def test_no_published_remisses(client, remiss):
    html = client.get("/remisser/").get_data(as_text=True)
    assert "Det finns inga publicerade remissvar än." in html and "Publicerade remissvar" not in html
    # The open remiss is listed for everyone, with its public page (issue 12).
    assert f'href="/remisser/{remiss.id}/oppen"' in html
    assert "Svaren på" not in client.get("/").get_data(as_text=True)
