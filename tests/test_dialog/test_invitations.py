"""Invitations (issue 13): choosing organisations, one invitation each, the personal link, opt-out, re-sending."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.agreements.models import Agreement, GroupMember, Signatory, StandingGroup
from core.mail import drain
from core.models import Organisation, OutboxMessage, OutboxStatus, Role
from dialog import invitations as svc
from dialog import registration as reg_svc
from dialog.models import InvitationStatus, MeetingInvitation, MeetingStateError, MeetingStatus, Registration

LINK_RE = re.compile(r"https?://\S+/moten/inbjudan/(\S+)")
UNSUBSCRIBE_RE = re.compile(r"https?://\S+(/moten/inbjudningar/avsluta/\S+)")


@pytest.fixture
def registry(make_organisation):
    """Organisations across forms and sub-regions, with and without an address."""
    make = make_organisation
    return {
        "platform": make("Social Ekonomi Fyrbodal", legal_form="natverk", sub_region="fyrbodal",
                         contact_email="info@fyrbodal.example"),
        "forening_fyrbodal": make("Uddevalla IF", legal_form="forening", sub_region="fyrbodal",
                                  contact_email="kansli@uddevallaif.example"),
        "forening_skaraborg": make("Skövde Scouter", legal_form="forening", sub_region="skaraborg",
                                   contact_email="scout@skovde.example"),
        "stiftelse_fyrbodal": make("Stiftelsen Kvarnen", legal_form="stiftelse", sub_region="fyrbodal",
                                   contact_email="kvarnen@example.se"),
        "no_email": make("Föreningen Utan Adress", legal_form="forening", sub_region="fyrbodal"),
        "suggested": make("Ny förening", legal_form="forening", sub_region="fyrbodal",
                          contact_email="ny@example.se", needs_review=True),
    }


def _names(orgs):
    return sorted(o.name for o in orgs)


def _mail_to(outbox, to):
    return next(m for m in reversed(outbox) if m["To"] == to)


def _token(mail):
    return LINK_RE.search(mail.get_body(("plain",)).get_content()).group(1)


def test_legal_form_and_sub_region_narrow_each_other(registry):
    chosen = svc.chosen_organisations(svc.Selection(legal_forms=["forening"], sub_regions=["fyrbodal"]))
    assert _names(chosen) == ["Föreningen Utan Adress", "Uddevalla IF"]  # never the unreviewed suggestion
    assert _names(svc.chosen_organisations(svc.Selection(legal_forms=["forening"]))) == [
        "Föreningen Utan Adress", "Skövde Scouter", "Uddevalla IF"]


def test_platforms_earlier_attendance_and_by_hand_add_to_the_list(registry, make_meeting, db):
    earlier = make_meeting("Förra mötet", days=-30, status=MeetingStatus.HELD)
    db.session.add(Registration(meeting=earlier, name="Sara", organisation=registry["forening_skaraborg"],
                                status="registered", attended=True))
    db.session.add(Registration(meeting=earlier, name="Nils", organisation=registry["stiftelse_fyrbodal"],
                                status="registered", attended=False))  # registered, did not come
    db.session.commit()
    meeting = make_meeting()
    assert earlier in svc.earlier_meetings(meeting)
    assert _names(svc.chosen_organisations(svc.Selection(attended_meeting_ids=[earlier.id]))) == ["Skövde Scouter"]
    by_platform = svc.chosen_organisations(svc.Selection(platform_ids=[registry["platform"].id]))
    assert _names(by_platform) == ["Föreningen Utan Adress", "Social Ekonomi Fyrbodal", "Stiftelsen Kvarnen",
                                   "Uddevalla IF"]
    mixed = svc.Selection(legal_forms=["stiftelse"], organisation_ids=[registry["forening_skaraborg"].id])
    assert _names(svc.chosen_organisations(mixed)) == ["Skövde Scouter", "Stiftelsen Kvarnen"]
    assert svc.chosen_organisations(svc.Selection()) == []


def test_preview_says_who_is_left_out_and_why_and_the_reach(registry, make_meeting, db):
    meeting = make_meeting()
    svc.unsubscribe(registry["stiftelse_fyrbodal"])
    svc.send_invitations(meeting, svc.Selection(organisation_ids=[registry["platform"].id]))
    preview = svc.preview(meeting, svc.Selection(sub_regions=["fyrbodal"]))
    assert _names(preview.to_invite) == ["Uddevalla IF"]
    assert _names(preview.already_invited) == ["Social Ekonomi Fyrbodal"]
    assert _names(preview.opted_out) == ["Stiftelsen Kvarnen"]
    assert _names(preview.without_email) == ["Föreningen Utan Adress"]
    assert preview.by_legal_form == [("Förening", 1)] and preview.by_sub_region == [("Fyrbodal", 1)]


def test_sending_queues_one_personal_invitation_each_with_the_calendar_file(registry, make_meeting, db, outbox,
                                                                           app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://samrad.example.se")
    meeting = make_meeting("Dialogmöte om överenskommelsen")
    result = svc.send_invitations(meeting, svc.Selection(sub_regions=["fyrbodal"]))
    assert _names(result.to_invite) == ["Social Ekonomi Fyrbodal", "Stiftelsen Kvarnen", "Uddevalla IF"]
    rows = db.session.scalars(sa.select(OutboxMessage)).all()
    assert len(rows) == 3 and {r.status for r in rows} == {OutboxStatus.QUEUED}  # queued, not sent in the request

    mail = _mail_to(outbox, "kansli@uddevallaif.example")
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Inbjudan: Dialogmöte om överenskommelsen" and "Uddevalla IF" in text
    assert "https://samrad.example.se/moten/inbjudan/" in text  # the public address, not the request's host
    assert "https://samrad.example.se/moten/inbjudningar/avsluta/" in text
    assert [a.get_filename() for a in mail.iter_attachments()] == ["mote.ics"]
    invitation = svc.invitation_from_token(_token(mail))
    assert invitation.organisation.name == "Uddevalla IF" and invitation.status == InvitationStatus.SENT
    assert invitation.outbox_message.status == OutboxStatus.SENT

    # Sending again to the same choice sends nothing twice.
    outbox.clear()
    again = svc.send_invitations(meeting, svc.Selection(sub_regions=["fyrbodal"]))
    assert again.to_invite == [] and len(again.already_invited) == 3 and outbox == []


def test_a_thousand_invitations_are_queued_with_a_bounded_number_of_queries(make_meeting, db):
    db.session.add_all([Organisation(name=f"Förening {n:04d}", legal_form="forening", sub_region="sjuharad",
                                     contact_email=f"f{n}@example.se") for n in range(1000)])
    db.session.commit()
    meeting = make_meeting()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = svc.send_invitations(meeting, svc.Selection(sub_regions=["sjuharad"]))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(result.to_invite) == 1000
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1000
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.QUEUED)) == 1000
    # Nothing is sent in the request: the worker does that. Inserts are batched, not one round trip per mail.
    assert len(statements) < 60, len(statements)


def test_invitations_are_refused_for_a_cancelled_or_past_meeting_and_without_a_choice(registry, make_meeting):
    with pytest.raises(svc.InvitationError, match="inställt"):
        svc.send_invitations(make_meeting(status=MeetingStatus.CANCELLED), svc.Selection(sub_regions=["fyrbodal"]))
    with pytest.raises(svc.InvitationError, match="börjat"):
        svc.send_invitations(make_meeting(days=-1), svc.Selection(sub_regions=["fyrbodal"]))
    with pytest.raises(svc.InvitationError, match="Välj minst"):
        svc.send_invitations(make_meeting(), svc.Selection())


def test_the_link_records_opened_registered_and_declined(client, forms, registry, make_meeting, outbox, db):
    meeting = make_meeting(consent_text="Vi sparar uppgifterna i ett år.")
    svc.send_invitations(meeting, svc.Selection(sub_regions=["fyrbodal"]))
    link = f"/moten/inbjudan/{_token(_mail_to(outbox, 'kansli@uddevallaif.example'))}"

    page = client.get(link)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Uddevalla IF" in html and "kansli@uddevallaif.example" in html
    invitation = db.session.scalar(sa.select(MeetingInvitation).where(
        MeetingInvitation.organisation_id == registry["forening_fyrbodal"].id))
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.OPENED and invitation.opened_at is not None

    response = forms.post(link, {"name": "Ulla Udd", "email": "ulla@uddevallaif.example", "consent": "y"})
    assert response.status_code == 200 and "Tack för din anmälan" in response.get_data(as_text=True)
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.REGISTERED
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "ulla@uddevallaif.example"))
    assert registration.organisation_id == registry["forening_fyrbodal"].id

    # Another organisation declines from its link.
    other = f"/moten/inbjudan/{_token(_mail_to(outbox, 'kvarnen@example.se'))}"
    response = forms.post(f"{other}/tacka-nej", {}, page=other, follow_redirects=True)
    assert "har tackat nej" in response.get_data(as_text=True)
    declined = db.session.scalar(sa.select(MeetingInvitation).where(
        MeetingInvitation.organisation_id == registry["stiftelse_fyrbodal"].id))
    db.session.refresh(declined)
    assert declined.status == InvitationStatus.DECLINED

    assert client.get("/moten/inbjudan/not-a-token").status_code == 404


def test_registering_on_the_public_form_also_counts_for_the_invitation(registry, make_meeting, outbox, db):
    meeting = make_meeting()
    svc.send_invitations(meeting, svc.Selection(organisation_ids=[registry["platform"].id]))
    reg_svc.register(meeting, "Pia", "pia@example.se", organisation_id=registry["platform"].id, consent=True)
    invitation = db.session.scalar(sa.select(MeetingInvitation))
    assert invitation.status == InvitationStatus.REGISTERED and invitation.registered_at is not None


def test_a_registered_organisation_cannot_decline(registry, make_meeting, db):
    meeting = make_meeting()
    svc.send_invitations(meeting, svc.Selection(organisation_ids=[registry["platform"].id]))
    reg_svc.register(meeting, "Pia", "pia@example.se", organisation_id=registry["platform"].id, consent=True)
    with pytest.raises(MeetingStateError, match="redan anmäld"):
        svc.decline(db.session.scalar(sa.select(MeetingInvitation)))


def test_unsubscribing_is_respected_by_later_sendings(client, forms, registry, make_meeting, outbox, db):
    first = make_meeting()
    svc.send_invitations(first, svc.Selection(organisation_ids=[registry["platform"].id]))
    text = _mail_to(outbox, "info@fyrbodal.example").get_body(("plain",)).get_content()
    link = UNSUBSCRIBE_RE.search(text).group(1)
    assert "Social Ekonomi Fyrbodal" in client.get(link).get_data(as_text=True)
    assert not svc.is_opted_out(registry["platform"].id)  # opening the link alone changes nothing
    response = forms.post(link, {}, follow_redirects=True)
    assert "får inga fler inbjudningar" in response.get_data(as_text=True)
    assert svc.is_opted_out(registry["platform"].id)

    outbox.clear()
    result = svc.send_invitations(make_meeting(), svc.Selection(legal_forms=["natverk"]))
    assert result.to_invite == [] and _names(result.opted_out) == ["Social Ekonomi Fyrbodal"] and outbox == []


def test_a_failed_mail_is_shown_and_can_be_sent_again_but_nothing_else_twice(registry, make_meeting, db, outbox):
    meeting = make_meeting()
    svc.send_invitations(meeting, svc.Selection(organisation_ids=[registry["forening_skaraborg"].id]))
    invitation = db.session.scalar(sa.select(MeetingInvitation))
    with pytest.raises(svc.InvitationError, match="inte misslyckats"):
        svc.resend(invitation)  # queued or sent: a second mail would be a duplicate

    def refuse(msg):
        raise OSError("550 no such user")

    for _ in range(6):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=sa.func.current_timestamp()))
        db.session.commit()
        drain(send=refuse)
    db.session.refresh(invitation)
    assert invitation.mail_failed and "550" in invitation.outbox_message.last_error

    svc.resend(invitation)
    assert invitation.mails_queued == 2 and invitation.outbox_message.status == OutboxStatus.QUEUED
    assert [m["To"] for m in outbox] == ["scout@skovde.example"]
    assert invitation.outbox_message.status == OutboxStatus.SENT


def test_organiser_page_previews_then_sends_and_lists_the_statuses(client, auth, forms, moderator, registry,
                                                                  make_meeting, outbox, db):
    meeting = make_meeting("Konferens i Vänersborg")
    auth.login_as(moderator)
    url = f"/moten/hantera/{meeting.id}/inbjudningar"
    page = client.get(url).get_data(as_text=True)
    assert "Bjud in organisationer" in page and "Social Ekonomi Fyrbodal" in page

    response = forms.post(url, {"sub_regions": "fyrbodal", "preview": "Visa urvalet"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 organisationer får en inbjudan" in html
    assert "Saknar e-postadress i registret" in html and "Föreningen Utan Adress" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingInvitation)) == 0  # a preview only

    response = forms.post(url, {"sub_regions": "fyrbodal", "send": "Skicka inbjudningarna"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "3 inbjudningar ligger i e-postkön" in html and "chart-invited-forms" in html
    assert html.count("I kö") >= 3  # the mail status per organisation: the worker has not run yet
    assert len(outbox) == 3
    assert "Skickat" in client.get(url).get_data(as_text=True)

    empty = forms.post(url, {"preview": "Visa urvalet"})
    assert empty.status_code == 400 and "Välj minst en grupp" in empty.get_data(as_text=True)


def test_only_organisers_reach_the_invitation_pages(client, auth, respondent, make_meeting, registry):
    meeting = make_meeting()
    assert client.get(f"/moten/hantera/{meeting.id}/inbjudningar").status_code == 302  # to the login page
    auth.login_as(respondent)
    assert client.get(f"/moten/hantera/{meeting.id}/inbjudningar").status_code == 403
    assert respondent.has_role(Role.RESPONDENT)


def test_group_members_and_an_agreements_signatories_can_be_invited(registry, make_meeting, db):
    agreement = Agreement(title="Överenskommelsen i Västra Götaland", short_name="ÖK VG")
    group = StandingGroup(agreement=agreement, name="Samverkansgruppen")
    db.session.add_all([agreement, group])
    db.session.flush()
    today = date.today()
    db.session.add_all([
        GroupMember(group=group, name="Ulla", organisation=registry["forening_fyrbodal"],
                    term_start=today - timedelta(days=300)),
        GroupMember(group=group, name="Tidigare", organisation=registry["stiftelse_fyrbodal"],
                    term_start=today - timedelta(days=900), term_end=today - timedelta(days=400)),  # term over
        Signatory(agreement=agreement, organisation=registry["platform"], signed_on=today, signatory_name="Pia"),
        Signatory(agreement=agreement, organisation=registry["forening_skaraborg"], signed_on=today,
                  signatory_name="Sven", withdrawn_on=today),  # left the agreement
    ])
    db.session.commit()
    assert (group.id, f"Samverkansgruppen ({agreement.name})") in svc.groups()
    assert _names(svc.chosen_organisations(svc.Selection(group_ids=[group.id]))) == ["Uddevalla IF"]
    assert _names(svc.chosen_organisations(svc.Selection(agreement_ids=[agreement.id]))) == [
        "Social Ekonomi Fyrbodal"]
