"""The remiss area's shared shape: one e-mail rule, errors that are DomainErrors, status predicates, lookups."""
import json
import re

import pytest
from werkzeug.exceptions import NotFound

from core.errors import DomainError
from surveys.remiss import access, answering, claiming, managing, registering
from surveys.remiss.models import BodyStatus, InvitedBody, RemissError, RemissStatus

NEW_PASSWORD = "en mening jag minns"
# Addresses the two old hand-written rules let through (managing: an @ and a dot after it; claiming: also no
# space) and the registry's rule (email-validator) refuses.
OLD_RULES_LET_THROUGH = ["@forening.se", "anna@forening..se", "anna@.se", "anna@forening.se.", "anna@-x.se",
                         "anna@forening.123"]
# The managing rule let a space through; claiming did not.
WITH_SPACE = "anna forening@x.se"


@pytest.mark.parametrize("address", OLD_RULES_LET_THROUGH + [WITH_SPACE, "anna@@forening.se"])
def test_invite_refuses_what_the_registry_refuses(make_remiss, address):
    remiss = make_remiss()
    with pytest.raises(RemissError, match="ingen giltig e-postadress"):
        managing.invite(remiss, emails=["ok@example.se", address])
    assert remiss.bodies == []  # all or nothing: the good address is not half-saved


@pytest.mark.parametrize("address", OLD_RULES_LET_THROUGH + [WITH_SPACE])
def test_set_body_email_refuses_what_the_registry_refuses(make_remiss, make_organisation, address):
    remiss = make_remiss(invite=[make_organisation("PRO")])
    with pytest.raises(RemissError) as caught:
        managing.set_body_email(remiss.bodies[0], address)
    assert str(caught.value) == f"”{address}” är ingen giltig e-postadress."
    assert remiss.bodies[0].email is None


def test_addresses_both_rules_take_are_kept_in_lower_case(make_remiss):
    remiss = make_remiss()
    managing.invite(remiss, emails=[" Kassör@Förening.SE ", "a@b.se"])
    assert sorted(b.email for b in remiss.bodies) == ["a@b.se", "kassör@förening.se"]


@pytest.mark.parametrize("address", OLD_RULES_LET_THROUGH[1:])
def test_a_typed_address_on_sign_up_uses_the_same_rule(make_remiss, make_organisation, address):
    remiss = make_remiss(invite=[make_organisation("PRO")])
    body = remiss.bodies[0]
    managing.create_personal_link(body)
    with pytest.raises(claiming.ClaimError) as caught:
        claiming.sign_up(body, "Per", NEW_PASSWORD, email=address)
    assert caught.value.field == "email" and caught.value.message == "Skriv en giltig e-postadress."
    with pytest.raises(claiming.ClaimError, match="Skriv en giltig e-postadress."):
        claiming.clean_typed_email(address)


def test_clean_typed_email_is_the_one_rule_for_new_accounts(app):
    """Public, because registering an organisation checks the typed address with it as well as claiming."""
    assert claiming.clean_typed_email(" Kassör@Förening.SE ") == "kassör@förening.se"
    for empty in ("", "   ", None):
        with pytest.raises(claiming.ClaimError) as caught:
            claiming.clean_typed_email(empty)
        assert caught.value.field == "email" and caught.value.message == "Fyll i det här fältet."
    assert registering.clean_typed_email is claiming.clean_typed_email


def test_remiss_errors_are_domain_errors():
    assert issubclass(RemissError, DomainError)
    assert issubclass(claiming.ClaimError, RemissError) and issubclass(claiming.ClaimErrors, RemissError)
    conflict = answering.VersionConflict(answer=None)
    assert isinstance(conflict, RemissError)
    body, status = conflict.to_json()
    assert status == 409 and body["error"] == "conflict" and "Någon annan har sparat" in body["message"]
    error = claiming.ClaimError("Fel", "email")
    assert error.message == "Fel" and error.field == "email" and error.to_json() == (
        {"error": "invalid", "message": "Fel"}, 400)


def test_status_predicates(make_remiss, make_organisation):
    remiss = make_remiss(status=RemissStatus.DRAFT, invite=[make_organisation("PRO")])
    assert remiss.is_draft and not remiss.is_open and remiss.can_open and not remiss.can_close
    assert remiss.sections_editable and remiss.status_badge == ""
    remiss.status = RemissStatus.CLOSED
    assert not remiss.sections_editable and remiss.can_open and remiss.can_compile
    assert remiss.status_badge == "badge-warn"
    body = remiss.bodies[0]
    for status, settled, removable in [(BodyStatus.INVITED, False, True), (BodyStatus.DRAFT_SAVED, False, False),
                                       (BodyStatus.ANSWERED, True, False), (BodyStatus.DECLINED, True, True)]:
        body.status = status
        assert (body.is_settled, body.is_removable) == (settled, removable)


def test_lookups_stay_inside_their_remiss(make_remiss, make_organisation):
    one = make_remiss(invite=[make_organisation("PRO")])
    other = make_remiss(diarienummer="RS 99")
    assert access.get_body_or_404(one, one.bodies[0].id) is one.bodies[0]
    assert access.get_section_or_404(one, one.sections[0].id) is one.sections[0]
    assert access.get_section_by_number_or_404(one, one.sections[0].number) is one.sections[0]
    with pytest.raises(NotFound):
        access.get_body_or_404(other, one.bodies[0].id)
    with pytest.raises(NotFound):
        access.get_section_or_404(other, one.sections[0].id)
    with pytest.raises(NotFound):
        access.get_section_by_number_or_404(one, 999)
    with pytest.raises(NotFound):
        access.get_submission_or_404(None, 1)


def test_editor_fields_name_every_saved_field(make_remiss):
    remiss = make_remiss()
    fields = answering.editor_fields(remiss)
    section = remiss.sections[0]
    assert fields["general_comment"] is None and fields["require_ready"] is None
    assert fields[f"s-{section.id}-proposed_wording"] == [str(section.id), "proposed_wording"]
    assert len(fields) == 6 + 3 * len(remiss.sections)


def test_the_editor_page_hands_its_field_names_to_the_script(client, auth, remiss, fyrbodal, respondent):
    auth.login_as(respondent)
    html = client.get(f"/remisser/{remiss.id}/svar/{fyrbodal.id}").get_data(as_text=True)
    match = re.search(r'<script type="application/json" id="remiss-answer-fields">(.*?)</script>', html, re.S)
    assert match is not None
    assert json.loads(match.group(1)) == answering.editor_fields(remiss)
    assert f'name="s-{remiss.sections[0].id}-comment"' in html


def test_a_refused_post_button_says_why_and_goes_back(client, auth, forms, skrivare, make_remiss, make_organisation,
                                                      db):
    """run_and_redirect: the service's refusal is flashed and the page is reached again, nothing changed."""
    remiss = make_remiss(invite=[make_organisation("PRO")])
    body = remiss.bodies[0]
    body.status = BodyStatus.ANSWERED
    db.session.commit()
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/instanser"
    response = forms.post(f"{page}/{body.id}/ta-bort", page=page, follow_redirects=True)
    assert response.request.path == page
    assert "En remissinstans som har börjat svara kan inte tas bort." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(InvitedBody, body.id) is not None
