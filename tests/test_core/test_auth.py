"""Logging in and out (throttling: test_security.py), safe redirects, password reset and invitations."""
import logging
import re

import pytest

from core.access import user_from_api_token
from core.auth import services
from core.mail import drain
from core.models import ApiToken, User
from tests.conftest import PASSWORD, AuthActions


def test_login_page_is_swedish(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Logga in" in html and 'lang="sv"' in html


def test_login_and_logout(auth, client, admin):
    response = auth.login()
    assert response.status_code == 302
    assert "Mitt konto" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert "Mitt konto" not in client.get("/").get_data(as_text=True)


def test_wrong_password_keeps_email_and_says_so(auth, admin):
    response = auth.login(password="fel")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Fel e-postadress eller lösenord." in html
    assert 'value="admin@test.example"' in html


def test_login_without_csrf_token_is_refused(client, admin):
    response = client.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Sidan hade gått ut" in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_site(auth, admin, target, forms):
    response = forms.post(f"/login?next={target}", {"email": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_the_site_is_followed(forms, admin):
    response = forms.post("/login?next=/konto", {"email": admin.email, "password": PASSWORD})
    assert response.headers["Location"] == "/konto"


def test_login_starts_a_new_session(client, auth, admin):
    with client.session_transaction() as sess:
        sess["planted"] = "by attacker"
    auth.login()
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_change_password_ends_other_sessions(app, auth, admin, forms, client):
    other = app.test_client()
    AuthActions(other).login()
    auth.login()
    response = forms.post("/konto", {"current": PASSWORD, "password": "ett helt nytt lösenord", "confirm": "ett helt nytt lösenord"})
    assert response.status_code == 302
    assert other.get("/konto").status_code == 302  # the other browser is logged out
    assert client.get("/konto").status_code == 200


def test_reset_password_flow(client, forms, admin, outbox, db):
    response = forms.post("/glomt-losenord", {"email": "ADMIN@test.example"})
    assert "Kolla din e-post" in response.get_data(as_text=True)
    link = re.search(r"http://localhost(/aterstall/\S+)", outbox[-1].get_content()).group(1)
    response = forms.post(link, {"password": "nytt lösenord 2026", "confirm": "nytt lösenord 2026"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).check_password("nytt lösenord 2026")
    # The link works once.
    response = client.get(link)
    assert response.status_code == 400
    assert "Länken fungerar inte längre" in response.get_data(as_text=True)


def test_reset_unknown_email_gives_same_answer_and_sends_nothing(forms, outbox):
    response = forms.post("/glomt-losenord", {"email": "okand@test.example"})
    assert "Kolla din e-post" in response.get_data(as_text=True)
    assert outbox == []


def test_reset_password_mismatch_shows_error_beside_field(forms, admin, app):
    token = services.make_link_token(admin, "reset")
    response = forms.post(f"/aterstall/{token}", {"password": "nytt lösenord 2026", "confirm": "annat"})
    assert "Lösenorden är inte lika." in response.get_data(as_text=True)


def test_invite_set_password_and_log_in(auth, admin, forms, outbox, client, db, make_organisation):
    org = make_organisation("Coompanion")
    auth.login()
    response = forms.post("/admin/anvandare/ny", {"email": "ny@test.example", "name": "Nina Ny",
                                                   "roles": ["respondent"], "organisations": [str(org.id)]})
    assert response.status_code == 302
    link = re.search(r"http://localhost(/inbjudan/\S+)", outbox[-1].get_content()).group(1)
    auth.logout()
    response = forms.post(link, {"password": "mitt eget lösenord", "confirm": "mitt eget lösenord"})
    assert response.status_code == 302
    auth.logout()
    assert auth.login("ny@test.example", "mitt eget lösenord").status_code == 302
    user = services.get_user_by_email("ny@test.example")
    assert user.roles == {"respondent"} and user.organisation_ids == {org.id}


def test_invite_duplicate_email_is_refused(auth, admin, forms):
    auth.login()
    response = forms.post("/admin/anvandare/ny", {"email": admin.email, "name": "X", "roles": ["moderator"]})
    assert "Det finns redan ett konto" in response.get_data(as_text=True)


def test_expired_invite_link(app, admin, client, monkeypatch):
    token = services.make_link_token(admin, "invite")
    app.config["INVITE_MAX_AGE_SECONDS"] = -1
    try:
        response = client.get(f"/inbjudan/{token}")
    finally:
        app.config["INVITE_MAX_AGE_SECONDS"] = 7 * 24 * 3600
    assert response.status_code == 400


def test_api_token_is_stored_hashed_and_can_be_revoked(runner, admin, db):
    result = runner.invoke(args=["create-token", admin.email])
    raw = result.output.strip()
    assert raw.startswith("sam_")
    row = db.session.query(ApiToken).one()
    assert row.token_hash != raw and raw not in row.token_hash
    assert user_from_api_token(raw).id == admin.id
    assert runner.invoke(args=["revoke-token", raw[:12]]).exit_code == 0
    assert user_from_api_token(raw) is None


def test_create_admin_cli(runner, db):
    result = runner.invoke(args=["create-admin", "--email", "ny@admin.example"], input="ett långt lösenord\nett långt lösenord\n")
    assert result.exit_code == 0, result.output
    assert services.get_user_by_email("ny@admin.example").is_admin


def test_logout_ends_the_session_even_for_a_copied_cookie(app, auth, admin, client):
    auth.login()
    copied = app.test_client()
    cookie = client.get_cookie("session")
    copied.set_cookie("session", cookie.value)
    assert copied.get("/konto").status_code == 200
    auth.logout()
    assert copied.get("/konto").status_code == 302


def test_logout_needs_csrf(client, auth, admin):
    auth.login()
    client.post("/logout")
    assert client.get("/konto").status_code == 200


def test_mail_without_smtp_goes_to_the_log(app, caplog, admin):
    with caplog.at_level(logging.INFO, logger="samrad.mail"):
        services.send_password_reset(admin.email)
        assert "Återställ" not in caplog.text  # queued, not sent: the worker sends it
        drain()
    assert "Återställ ditt lösenord" in caplog.text and "/aterstall/" in caplog.text


def test_a_form_refused_for_an_old_key_comes_back_with_what_was_typed(client, auth, admin, make_organisation):
    """The session ran out while someone wrote: the error page holds their text and sends it again."""
    auth.login_as(admin)
    typed = {"name": "Föreningen Gläntan", "org_number": "", "legal_form": "forening", "sub_region": "",
             "contact_email": "", "website": "", "notes": "Första raden.\nAndra raden med å, ä, ö."}
    same_site = {"Origin": "http://localhost"}
    refused = client.post("/organisationer/ny", data=dict(typed, csrf_token="gammal"), headers=same_site)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Skicka igen" in html and "Andra raden med å, ä, ö." in html
    # The page's own form carries a fresh key and every field as typed: sending it creates the organisation.
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert {key: fields[key] for key in typed} == typed
    resent = client.post("/organisationer/ny", data=dict(typed, csrf_token=token), headers=same_site)
    assert resent.status_code == 302
    # A post from another site gets no button (a forged post must not come back ready to send), nor do secrets.
    forged = client.post("/organisationer/ny", data=dict(typed, csrf_token="x"),
                         headers={"Origin": "https://evil.example"})
    assert "Skicka igen" not in forged.get_data(as_text=True)
    login = client.post("/login", data={"email": admin.email, "password": PASSWORD}, headers=same_site)
    assert "Skicka igen" not in login.get_data(as_text=True) and PASSWORD not in login.get_data(as_text=True)
