"""Taking on an invitation from its personal link: email-only invitations and organisations without accounts."""
import re

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from core.models import Membership, Organisation, Role, User
from surveys.remiss import access, claiming, managing
from surveys.remiss.models import InvitedBody

NEW_PASSWORD = "en mening jag minns"


def _link(outbox, to):
    mail = next(m for m in reversed(outbox) if m["To"] == to)
    return re.search(r"(/remisser/inbjudan/\S+)", mail.get_content()).group(1)


def _body(token_link):
    return managing.body_by_token(token_link.rsplit("/", 1)[-1])


class Anonymous:
    is_authenticated = False


# --- the rules ----------------------------------------------------------------------------------------------

def test_state_for_each_kind_of_visitor(make_remiss, make_organisation, make_user, outbox, respondent, fyrbodal):
    empty = make_organisation("Förening utan konton", contact_email="utan@example.se")
    remiss = make_remiss(invite=[empty, fyrbodal])
    managing.invite(remiss, emails=["ny@example.se", respondent.email])
    by_email = _body(_link(outbox, "ny@example.se"))
    for_empty = _body(_link(outbox, "utan@example.se"))
    assert claiming.state(by_email, Anonymous()).state == claiming.SIGNUP
    assert claiming.state(for_empty, Anonymous()).state == claiming.SIGNUP
    # The respondent's own address: an account exists, so log in with it.
    own = next(b for b in remiss.bodies if b.organisation_id == fyrbodal.id)
    assert claiming.state(own, Anonymous()).state == claiming.LOGIN
    assert claiming.state(own, respondent).state == claiming.MEMBER
    assert claiming.state(for_empty, respondent).state == claiming.JOIN
    assert claiming.state(by_email, respondent).state == claiming.CHOOSE
    outsider = make_user("utanfor@example.se")
    assert claiming.state(own, outsider).state == claiming.TAKEN


def test_sign_up_for_an_email_only_invitation_creates_an_organisation_to_review(make_remiss, outbox, db):
    remiss = make_remiss()
    managing.invite(remiss, emails=["Kassör@Example.se"])
    body = _body(_link(outbox, "kassör@example.se"))
    user, org = claiming.sign_up(body, "  Karin   Kassör ", NEW_PASSWORD, data={
        "org_name": "Föreningen Gläntan", "org_number": "", "legal_form": "forening", "sub_region": "fyrbodal"})
    assert user.email == "kassör@example.se" and user.name == "Karin Kassör" and user.check_password(NEW_PASSWORD)
    assert user.roles == {Role.RESPONDENT}
    assert org.needs_review and org.contact_email == "kassör@example.se" and org.sub_region == "fyrbodal"
    assert user.membership_for(org.id).can_sign
    body = db.session.get(InvitedBody, body.id)
    assert body.organisation_id == org.id and body.invited and body.status == "opened"
    # The invitation now leads to the organisation: another holder of the link must log in.
    assert claiming.state(body, Anonymous()).state == claiming.LOGIN


def test_bad_organisation_data_saves_nothing(make_remiss, outbox, db):
    remiss = make_remiss()
    managing.invite(remiss, emails=["ny@example.se"])
    body = _body(_link(outbox, "ny@example.se"))
    with pytest.raises(claiming.ClaimErrors) as caught:
        claiming.sign_up(body, "Nils", NEW_PASSWORD, data={"org_name": " ", "org_number": "802473-5833"})
    assert set(caught.value.errors) == {"org_name", "org_number"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1  # only the drafter
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0
    assert db.session.get(InvitedBody, body.id).organisation_id is None


def test_a_named_registry_organisation_is_joined_only_while_it_has_no_accounts(make_remiss, outbox, db, respondent,
                                                                                 fyrbodal, make_organisation):
    unclaimed = make_organisation("Stiftelsen Bron")
    remiss = make_remiss(invite=[unclaimed])
    managing.invite(remiss, emails=["styrelse@bron.example", "b@example.se"])
    unclaimed.contact_email = "Styrelse@Bron.example"  # registered after the invitation went out
    db.session.commit()
    # By name (any case), from its own registered contact address: the registry organisation, not a duplicate;
    # its own invitation is kept as the one body.
    user, org = claiming.sign_up(_body(_link(outbox, "styrelse@bron.example")), "Anna", NEW_PASSWORD,
                                 data={"org_name": "stiftelsen bron"})
    assert org.id == unclaimed.id and not org.needs_review and org.id in user.organisation_ids
    bodies = db.session.scalars(sa.select(InvitedBody).where(InvitedBody.remiss_id == remiss.id)).all()
    assert sorted(b.email or "" for b in bodies) == ["b@example.se", "styrelse@bron.example"]
    assert next(b for b in bodies if b.organisation_id == org.id).status == "opened"
    # By organisation number, an organisation with accounts: refused, with the reason beside the name.
    with pytest.raises(claiming.ClaimError) as caught:
        claiming.sign_up(_body(_link(outbox, "b@example.se")), "Bo", NEW_PASSWORD,
                         data={"org_name": "Något annat", "org_number": fyrbodal.org_number})
    assert "har redan konton i Samråd" in caught.value.message and caught.value.field == "org_name"
    assert db.session.scalar(sa.select(User).where(User.email == "b@example.se")) is None


def test_naming_an_organisation_from_another_address_waits_for_confirmation(make_remiss, outbox, db,
                                                                              make_organisation):
    """Issue 9.1 (fails before: the holder of any email-only link became the named organisation's signing member,
    and could read and rewrite the answer it had already sent)."""
    bron = make_organisation("Stiftelsen Bron", contact_email="styrelsen@bron.example")
    remiss = make_remiss(invite=[bron])
    managing.invite(remiss, emails=["inkraktare@example.se"])
    body = _body(_link(outbox, "inkraktare@example.se"))
    user, org = claiming.sign_up(body, "Ivar", NEW_PASSWORD, data={"org_name": "Stiftelsen Bron"})
    assert org.id == bron.id
    # Pending: no access to the organisation, the invitation is not tied to it, the organisation is not "taken".
    assert bron.id not in user.organisation_ids and bron.id in user.pending_organisation_ids
    assert user.membership_for(bron.id) is None
    body = db.session.get(InvitedBody, body.id)
    assert body.organisation_id is None and body.claimed_organisation_id == bron.id
    assert not claiming.has_members(bron)
    assert claiming.state(body, user).state == claiming.PENDING
    with pytest.raises(NotFound):
        access.get_own_answer_or_404(remiss.id, bron.id, user)
    # The drafting group confirms: now a member, and the invitation belongs to the organisation.
    claiming.confirm_pending(body)
    user = db.session.get(User, user.id)
    assert bron.id in user.organisation_ids
    assert db.session.scalar(sa.select(InvitedBody).where(InvitedBody.remiss_id == remiss.id,
                                                          InvitedBody.organisation_id == bron.id)) is not None


def test_a_refused_claim_leaves_no_membership(make_remiss, outbox, db, make_organisation):
    bron = make_organisation("Stiftelsen Bron")
    remiss = make_remiss()
    managing.invite(remiss, emails=["x@example.se"])
    body = _body(_link(outbox, "x@example.se"))
    user, _org = claiming.sign_up(body, "X", NEW_PASSWORD, data={"org_name": "Stiftelsen Bron"})
    claiming.reject_pending(db.session.get(InvitedBody, body.id))
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == user.id)) is None
    assert claiming.state(db.session.get(InvitedBody, body.id), user).state == claiming.CHOOSE
    assert remiss and bron


def test_a_logged_in_user_chooses_one_of_their_organisations(make_remiss, outbox, db, respondent, fyrbodal,
                                                             make_organisation):
    foreign = make_organisation("Någon annans förening")
    remiss = make_remiss()
    managing.invite(remiss, emails=["styrelsen@example.se"])
    body = _body(_link(outbox, "styrelsen@example.se"))
    with pytest.raises(claiming.ClaimError):
        claiming.take_on(body, respondent, organisation_id=foreign.id)
    org = claiming.take_on(body, respondent, organisation_id=fyrbodal.id)
    assert org.id == fyrbodal.id and db.session.get(InvitedBody, body.id).organisation_id == fyrbodal.id
    assert len(respondent.memberships) == 1


def test_an_organisation_with_accounts_is_not_joined_from_its_link(make_remiss, outbox, make_user, fyrbodal, db):
    fyrbodal.contact_email = "fyrbodal@example.se"
    db.session.commit()
    make_remiss(invite=[fyrbodal])
    body = _body(_link(outbox, "fyrbodal@example.se"))
    outsider = make_user("utanfor@example.se")
    with pytest.raises(claiming.ClaimError):
        claiming.take_on(body, outsider)
    assert db.session.scalar(sa.select(Membership).where(Membership.user_id == outsider.id)) is None
    assert db.session.get(InvitedBody, body.id).organisation_id == fyrbodal.id


# --- over HTTP ----------------------------------------------------------------------------------------------

def test_email_only_invitee_creates_an_account_and_lands_in_the_answer(client, forms, make_remiss, outbox, db):
    remiss = make_remiss()
    managing.invite(remiss, emails=["ordforande@example.se"])
    link = _link(outbox, "ordforande@example.se")
    assert "Har ni inget konto i Samråd kan ni skapa ett via länken." in outbox[-1].get_content()
    html = client.get(link).get_data(as_text=True)
    assert "Skapa ett konto och svara" in html and "ordforande@example.se" in html
    # A mistake keeps every typed value and says what is wrong, in Swedish.
    typed = {"name": "Olle Ordförande", "org_name": "Byalaget Ängen", "org_number": "123", "legal_form": "forening",
             "sub_region": "skaraborg", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = forms.post(link, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Olle Ordförande" in html and "Byalaget Ängen" in html
    assert "organisationsnummer" in html.lower()
    assert db.session.scalar(sa.select(User).where(User.email == "ordforande@example.se")) is None
    response = forms.post(link, dict(typed, org_number=""))
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Byalaget Ängen"))
    assert response.headers["Location"].endswith(f"/remisser/{remiss.id}/svar/{org.id}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Nu svarar du för Byalaget Ängen." in page.get_data(as_text=True)
    # The account works with the chosen password; the link now asks to log in.
    forms.post("/logout", {}, page="/")
    assert "Logga in för att svara" in client.get(link).get_data(as_text=True)
    assert forms.post("/login", {"email": "ordforande@example.se", "password": NEW_PASSWORD}).status_code == 302


def test_logged_in_user_joins_an_organisation_without_accounts(client, forms, auth, make_remiss, make_organisation,
                                                               make_user, outbox, db):
    empty = make_organisation("Kooperativet Kvarnen", contact_email="kvarnen@example.se")
    make_remiss(invite=[empty])
    link = _link(outbox, "kvarnen@example.se")
    user = auth.login_as(make_user("kvarnen.sekreterare@example.se"))
    html = client.get(link).get_data(as_text=True)
    assert "Svara för Kooperativet Kvarnen" in html
    response = forms.post(link, {}, page=link)
    assert response.status_code == 302 and f"/svar/{empty.id}" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(User, user.id).membership_for(empty.id) is not None
    assert client.get(response.headers["Location"]).status_code == 200


def test_logged_in_user_picks_an_organisation_for_an_email_invitation(client, forms, auth, respondent, fyrbodal,
                                                                     make_remiss, outbox, db):
    remiss = make_remiss()
    managing.invite(remiss, emails=["info@fyrbodal.example"])
    link = _link(outbox, "info@fyrbodal.example")
    auth.login_as(respondent)
    html = client.get(link).get_data(as_text=True)
    assert "Vilken organisation svarar du för?" in html and "Social Ekonomi Fyrbodal" in html
    response = forms.post(link, {"organisation_id": str(fyrbodal.id)}, page=link)
    assert response.status_code == 302 and f"/svar/{fyrbodal.id}" in response.headers["Location"]


def test_outsider_is_told_to_ask_the_organisation(client, forms, auth, make_user, fyrbodal, make_remiss, outbox, db):
    fyrbodal.contact_email = "fyrbodal@example.se"
    db.session.commit()
    make_remiss(invite=[fyrbodal])
    link = _link(outbox, "fyrbodal@example.se")
    html = client.get(link).get_data(as_text=True)
    assert "Logga in för att svara" in html and "Skapa ett konto" not in html
    auth.login_as(make_user("utanfor@example.se"))
    assert "Ditt konto hör inte till den inbjudna organisationen" in client.get(link).get_data(as_text=True)
    # Posting anyway changes nothing.
    assert forms.post(link, {}, page=link).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 1


def test_takeover_over_http_waits_for_the_drafting_group(client, forms, auth, make_remiss, make_organisation,
                                                         skrivare, outbox, db):
    """Issue 9.1 over HTTP (fails before: the sign-up landed in the named organisation's answer)."""
    bron = make_organisation("Stiftelsen Bron", contact_email="styrelsen@bron.example")
    remiss = make_remiss(invite=[bron])
    managing.invite(remiss, emails=["inkraktare@example.se"])
    link = _link(outbox, "inkraktare@example.se")
    response = forms.post(link, {"name": "Ivar", "org_name": "Stiftelsen Bron", "password": NEW_PASSWORD,
                                 "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith(link)
    assert "Väntar på bekräftelse" in client.get(link).get_data(as_text=True)
    answer_url = f"/remisser/{remiss.id}/svar/{bron.id}"
    assert client.get(answer_url).status_code == 404
    auth.logout()
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    html = client.get(page).get_data(as_text=True)
    assert "Den som har länken säger sig svara för Stiftelsen Bron." in html
    body = _body(link)
    assert forms.post(f"/remisser/{remiss.id}/instanser/{body.id}/bekrafta", {}, page=page).status_code == 302
    auth.logout()
    assert forms.post("/login", {"email": "inkraktare@example.se", "password": NEW_PASSWORD}).status_code == 302
    assert client.get(answer_url).status_code == 200
