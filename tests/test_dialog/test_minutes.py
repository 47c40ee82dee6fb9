"""Minutes, decisions, approval by the signers, revisions after approval, tasks carried over in a series."""
import re
import time
from datetime import date, timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from core import signing
from core.models import utcnow
from dialog import minutes as svc
from dialog.meetings import add_agenda_item, open_tasks_before, open_tasks_of_series
from dialog.models import MeetingStateError, MeetingStatus, TaskStatus


def test_minutes_from_agenda_and_decisions(make_meeting):
    meeting = make_meeting()
    add_agenda_item(meeting, "Inledning")
    add_agenda_item(meeting, "Fortsättning framåt?")
    svc.start_from_agenda(meeting)
    svc.start_from_agenda(meeting)  # idempotent: one minutes item per agenda item
    assert [m.heading for m in meeting.minutes_items] == ["Inledning", "Fortsättning framåt?"]
    item = meeting.minutes_items[1]
    svc.save_minutes_item(item, "Fortsättning framåt?", "Samsyn råder.", "Tre personer får uppdraget\n\n Nästa möte ")
    assert [d.text for d in item.decisions] == ["Tre personer får uppdraget", "Nästa möte"]
    assert "Beslut: Nästa möte" in svc.minutes_text(meeting)
    assert meeting.revisions == []  # not approved yet: no revision kept


def _approved(meeting):
    svc.add_minutes_item(meeting, "Inledning", "Text före.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth Ehne Jangehammar")
    public = svc.add_signer(meeting, "justerare", "Malin Berglund", "Landstinget")
    civil = svc.add_signer(meeting, "justerare", "Leif Tyrén", "Organisationerna")
    assert svc.approve(taker) is False
    assert svc.approve(public) is False
    assert meeting.minutes_approved_at is None
    assert "Leif Tyrén" in " ".join(svc.approval_missing(meeting))
    assert svc.approve(civil) is True
    return meeting


def test_approval_needs_taker_and_every_justerare(make_meeting):
    meeting = _approved(make_meeting(days=-1, status=MeetingStatus.HELD))
    assert meeting.minutes_published
    with pytest.raises(MeetingStateError, match="redan justerade"):
        svc.add_signer(meeting, "justerare", "Sen Person")


def test_approval_refused_without_a_justerare_or_minutes(make_meeting):
    meeting = make_meeting(days=-1)
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth")
    with pytest.raises(MeetingStateError, match="inga anteckningar"):
        svc.approve(taker)
    svc.add_minutes_item(meeting, "Punkt", "Text")
    assert svc.approve(taker) is False  # approved by the taker, but no justerare yet
    assert meeting.minutes_approved_at is None
    with pytest.raises(MeetingStateError, match="redan godkänt"):
        svc.approve(taker)


def test_changes_after_approval_are_kept_as_revisions(make_meeting, moderator):
    meeting = _approved(make_meeting(days=-1, status=MeetingStatus.HELD))
    item = meeting.minutes_items[0]
    with pytest.raises(MeetingStateError, match="varför"):
        svc.save_minutes_item(item, "Inledning", "Text efter.", user=moderator)
    svc.save_minutes_item(item, "Inledning", "Text efter.", user=moderator, reason="Rättat ett namn")
    assert len(meeting.revisions) == 1
    revision = meeting.revisions[0]
    assert "Text före." in revision.previous_text and "Text efter." in revision.new_text
    assert revision.reason == "Rättat ett namn" and revision.changed_by_id == moderator.id
    # Saving the same text again is not a change.
    svc.save_minutes_item(item, "Inledning", "Text efter.", user=moderator, reason="Inget")
    assert len(meeting.revisions) == 1
    svc.delete_minutes_item(item, user=moderator, reason="Dubblett")
    assert len(meeting.revisions) == 2


def test_a_change_after_approval_without_a_reason_asks_for_one_beside_the_field(client, auth, forms, moderator,
                                                                                   make_meeting, db):
    meeting = _approved(make_meeting(days=-1, status=MeetingStatus.HELD))
    item = meeting.minutes_items[0]
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}/anteckningar"
    response = forms.post(f"/moten/hantera/anteckningar/{item.id}",
                          {f"item{item.id}-heading": "Inledning", f"item{item.id}-body": "Rättad text.",
                           f"item{item.id}-reason": ""}, page=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Skriv varför du ändrar dem." in html and "Rättad text." in html
    assert re.search(rf'id="item{item.id}-reason-error">[^<]*Skriv varför du ändrar dem', html)
    db.session.expire_all()
    assert item.body == "Text före." and meeting.revisions == []
    response = forms.post(f"/moten/hantera/anteckningar/{item.id}",
                          {f"item{item.id}-heading": "Inledning", f"item{item.id}-body": "Rättad text.",
                           f"item{item.id}-reason": "Rättat ett namn"}, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#m{item.id}")
    db.session.expire_all()
    assert item.body == "Rättad text." and len(meeting.revisions) == 1


def test_tasks_carry_over_to_the_next_meeting_in_the_series(make_meeting, make_series):
    series = make_series()
    first = make_meeting(days=-60, status=MeetingStatus.HELD, series=series)
    second = make_meeting(days=-30, status=MeetingStatus.HELD, series=series)
    third = make_meeting(days=10, series=series)
    other = make_meeting(days=20)
    proposal = svc.add_task(first, "Arbeta fram förslag till nästa möte", "Bosse Dalbo, Monica Ekström, Monika Ståhl",
                            date.today() + timedelta(days=20))
    done = svc.add_task(first, "Boka lokal", "Anders")
    svc.set_task_status(done, TaskStatus.DONE)
    later = svc.add_task(second, "Föra upp ärendet politiskt", "Demokratiberedningen")
    assert open_tasks_before(first) == []
    assert open_tasks_before(second) == [proposal]
    assert open_tasks_before(third) == [proposal, later]
    assert open_tasks_before(other) == []
    assert open_tasks_of_series(series) == [proposal, later]
    svc.set_task_status(proposal, TaskStatus.STARTED)
    assert proposal in open_tasks_before(third)
    svc.set_task_status(proposal, TaskStatus.DONE)
    assert proposal.done_at is not None and proposal.done_at <= utcnow()
    assert open_tasks_before(third) == [later]
    with pytest.raises(MeetingStateError):
        proposal.set_status("okänd")


def test_the_public_sees_carried_tasks_only_from_approved_minutes(make_meeting, make_series):
    series = make_series()
    first = make_meeting(days=-60, status=MeetingStatus.HELD, series=series)
    second = make_meeting(days=-30, status=MeetingStatus.HELD, series=series)
    third = make_meeting(days=10, series=series)
    approved = svc.add_task(first, "Arbeta fram förslag", "Monika Ståhl")
    unapproved = svc.add_task(second, "Föra upp ärendet politiskt", "Demokratiberedningen")
    first.minutes_approved_at = utcnow()
    assert open_tasks_before(third) == [approved, unapproved]
    assert open_tasks_before(third, published_only=True) == [approved]
    assert open_tasks_of_series(series, published_only=True) == [approved]


# --- approval through a personal link ---------------------------------------------------------------

def _link_token(mail):
    body = mail.get_body(("plain",)).get_content()
    return re.search(r"/moten/justera/(\S+)", body).group(1)


def test_request_approval_mails_only_pending_signers_with_an_email(make_meeting, outbox):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    svc.add_minutes_item(meeting, "Inledning", "Text.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth", email="  Elisabeth@Example.se ")
    paper = svc.add_signer(meeting, "justerare", "Malin", "Regionen")
    done = svc.add_signer(meeting, "justerare", "Leif", "Organisationerna", email="leif@example.se")
    assert taker.email == "elisabeth@example.se" and paper.email is None
    svc.approve(done)
    assert svc.request_approval(meeting) == 1
    assert [m["To"] for m in outbox] == ["elisabeth@example.se"]
    assert "Inledning" not in outbox[0].get_body(("plain",)).get_content()  # the link, not the text
    assert svc.signer_from_token(_link_token(outbox[0])) == taker
    assert taker.approval_requested_at is not None
    assert paper.approval_requested_at is None and done.approval_requested_at is None


def test_request_approval_refused_without_minutes_or_when_approved(make_meeting, outbox):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    svc.add_signer(meeting, "justerare", "Malin", email="malin@example.se")
    with pytest.raises(MeetingStateError, match="inga anteckningar"):
        svc.request_approval(meeting)
    approved = _approved(make_meeting(days=-1, status=MeetingStatus.HELD))
    with pytest.raises(MeetingStateError, match="redan justerade"):
        svc.request_approval(approved)
    assert outbox == []


def _token_made_days_ago(app, data, days):


    class Earlier(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - days * 24 * 3600

    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=svc.APPROVAL_SALT, signer=Earlier).dumps(data)


def test_signer_from_token_rejects_tampered_expired_and_removed(make_meeting, app):

    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    signer = svc.add_signer(meeting, "justerare", "Malin", email="malin@example.se")
    token = svc.make_approval_token(signer)
    assert svc.signer_from_token(token) == signer
    assert svc.signer_from_token(token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")) is None
    assert svc.signer_from_token("inte-en-token") is None
    data = signing.unsign(svc.APPROVAL_PURPOSE, token, max_age=3600)
    assert svc.signer_from_token(URLSafeTimedSerializer("another-key", salt=svc.APPROVAL_SALT).dumps(data)) is None
    assert svc.signer_from_token(_token_made_days_ago(app, data, 59)) == signer
    assert svc.signer_from_token(_token_made_days_ago(app, data, 61)) is None  # valid sixty days
    svc.remove_signer(signer)
    assert svc.signer_from_token(token) is None
    # Someone else added later, even under the same id, does not inherit the link.
    svc.add_signer(meeting, "justerare", "Bo", email="bo@example.se")
    assert svc.signer_from_token(token) is None


def test_approve_by_link_refuses_changed_minutes_and_publishes_at_the_end(make_meeting):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    item = svc.add_minutes_item(meeting, "Inledning", "Text före.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth", email="elisabeth@example.se")
    justerare = svc.add_signer(meeting, "justerare", "Malin", email="malin@example.se")
    shown = svc.minutes_fingerprint(meeting)
    assert len(shown) == 16 and shown == svc.minutes_fingerprint(meeting)
    assert svc.approve_by_link(taker, shown) is False
    assert taker.approved_at is not None and taker.approved_by_id is None
    svc.save_minutes_item(item, "Inledning", "Text efter.")
    with pytest.raises(MeetingStateError, match="ändrades medan du läste"):
        svc.approve_by_link(justerare, shown)
    assert justerare.approved_at is None and meeting.minutes_approved_at is None
    # The taker approved the old text: that approval was cleared by the change, so the justerare's is not the last.
    assert svc.approve_by_link(justerare, svc.minutes_fingerprint(meeting)) is False
    assert svc.approve_by_link(taker, svc.minutes_fingerprint(meeting)) is True
    assert meeting.minutes_published
    with pytest.raises(MeetingStateError, match="redan godkänt"):
        svc.approve_by_link(justerare, svc.minutes_fingerprint(meeting))


def test_a_change_before_final_approval_clears_approvals_of_the_old_text(make_meeting, outbox):
    """Issue 9.6 (fails before: the justerare approved through the link, the organiser changed the item and
    approved the secretary, and the changed text was published as justerad)."""
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    item = svc.add_minutes_item(meeting, "Inledning", "Vi beslöt A.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth")
    justerare = svc.add_signer(meeting, "justerare", "Malin", email="malin@example.se")
    assert svc.approve_by_link(justerare, svc.minutes_fingerprint(meeting)) is False
    assert justerare.approved_fingerprint == svc.minutes_fingerprint(meeting)
    outbox.clear()
    svc.save_minutes_item(item, "Inledning", "Vi beslöt B.")
    assert justerare.approved_at is None and justerare.approved_fingerprint is None
    # Asked again, with a fresh link that says why.
    assert [m["To"] for m in outbox] == ["malin@example.se"]
    mail = outbox[0].get_content()
    assert "har ändrats sedan du godkände" in mail and "/justera/" in mail
    assert svc.approve(taker) is False
    assert meeting.minutes_approved_at is None and not meeting.minutes_published
    assert svc.approve_by_link(justerare, svc.minutes_fingerprint(meeting)) is True
    assert meeting.minutes_published and meeting.revisions == []


def test_an_approval_without_a_fingerprint_is_asked_again(make_meeting, db):
    meeting = make_meeting(days=-1, status=MeetingStatus.HELD)
    svc.add_minutes_item(meeting, "Inledning", "Text.")
    taker = svc.add_signer(meeting, "sekreterare", "Elisabeth")
    justerare = svc.add_signer(meeting, "justerare", "Malin")
    justerare.approved_at = utcnow()  # given before approvals were bound to the text
    db.session.commit()
    assert svc.approve(taker) is False and justerare.approved_at is None
