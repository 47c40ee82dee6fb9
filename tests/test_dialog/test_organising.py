"""The organisers' pages as one blueprint: the same meeting page after a form error, fields listed once."""
from markupsafe import Markup

from core.errors import DomainError
from dialog import registration as reg_svc
from dialog.documents import DocumentRejected
from dialog.forms import MeetingForm
from dialog.meetings import MeetingProblems
from dialog.models import MEETING_FIELDS, MeetingStateError, MeetingStatus


def test_meeting_page_after_a_form_error_is_the_same_page(app, auth, forms, moderator, make_meeting, monkeypatch,
                                                          db):
    meeting = make_meeting(capacity=1)
    vera, _ = reg_svc.register(meeting, "Vera Viklund", "vera@example.se", consent=True, send=False)
    reg_svc.register(meeting, "Wilma Wallin", "wilma@example.se", consent=True, send=False)
    reg_svc.cancel_registration(vera, send=False, tell_registrant=False)  # Wilma gets the place
    reg_svc.register(meeting, "Vera Viklund", "vera@example.se", consent=True, send=False)  # Vera waits
    panels = {**app.extensions.get("samrad_panels", {}),
              "meeting.manage": [(50, lambda meeting: Markup(f"<p>Panel för {meeting.id}</p>"))]}
    monkeypatch.setitem(app.extensions, "samrad_panels", panels)
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}"
    shown = forms.client.get(page).get_data(as_text=True)
    for url, data in ((f"/moten/hantera/{meeting.id}/dagordning", {"agenda-title": ""}),
                      (f"/moten/hantera/{meeting.id}/anmal", {"manual-name": "", "manual-organisation_id": ""})):
        response = forms.post(url, data, page=page)
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "Fyll i det här fältet." in html
        for text in (shown, html):
            # Registered before the waiting list, whatever order the rows were made in; the panel is there.
            assert text.index("Wilma Wallin") < text.index("Vera Viklund")
            assert f"Panel för {meeting.id}" in text


def test_meeting_form_round_trip_by_the_one_field_list(make_meeting, make_organisation, make_series, db):
    meeting = make_meeting(series=make_series(), organiser=make_organisation("Regionen"), capacity=30,
                           deadline_days=5, principles=["dialog"], levels=["samrad"], moderator="Moa")
    form = MeetingForm.for_meeting(meeting)
    assert form.organiser_id.data == meeting.organiser_id and form.starts_at.data != meeting.starts_at  # local
    assert form.cleaned() == {name: getattr(meeting, name) for name in MEETING_FIELDS}


def test_dialog_errors_are_domain_errors():
    for error in (MeetingStateError, reg_svc.RegistrationClosed, DocumentRejected, MeetingProblems):
        assert issubclass(error, DomainError) and issubclass(error, ValueError)
    body, status = MeetingStateError("Nej.").to_json()
    assert status == 409 and body == {"error": "invalid_state", "message": "Nej."}


def test_unknown_status_action_is_a_bad_request(auth, forms, moderator, make_meeting, db):
    meeting = make_meeting(status=MeetingStatus.PLANNED)
    auth.login_as(moderator)
    page = f"/moten/hantera/{meeting.id}"
    assert forms.post(f"/moten/hantera/{meeting.id}/status/explode", {}, page=page).status_code == 400
