"""Browser (issue 13): the organisation picker on a phone, and answering an evaluation after a meeting."""
import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_core
from core.extensions import db
from core.models import Organisation, User, utcnow
from dialog import registration as reg_svc
from dialog.models import Meeting, MeetingStatus, Registration
from surveys.barometer import evaluation as evaluation_svc
from surveys.barometer.models import Answer, EvaluationComment

PHONE = {"width": 360, "height": 740}


def _meeting(days, status):
    start = (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
    meeting = Meeting(title="Dialogmöte 3 i Värmland", starts_at=start, ends_at=start + timedelta(hours=3),
                      status=status, place="Karlstad")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_organisation_picker_on_a_phone(app, page, live_server):
    seed_core()
    meeting = _meeting(10, MeetingStatus.OPEN)
    wanted = db.session.scalar(sa.select(Organisation).where(Organisation.needs_review.is_(False))
                               .order_by(Organisation.name))
    part = wanted.name.split()[0][:5].lower()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/moten/{meeting.id}/anmalan")
    picker = page.get_by_label("Organisation", exact=True)
    expect(picker).to_have_attribute("list", "organisation_id-list")
    assert page.locator("#organisation_id-list option").count() >= 2
    _no_sideways_scroll(page)
    page.get_by_label("Namn").fill("Anna Andersson")
    page.get_by_label("E-postadress").fill("anna@example.se")
    picker.fill(part)  # part of a name: the server answers with the matches
    page.get_by_label("Kost och allergier").fill("Vegetarisk")
    page.get_by_label("Jag godkänner att mina uppgifter sparas för mötet").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_text("Menar du någon av dessa?")).to_be_visible()
    expect(page.get_by_label("Kost och allergier")).to_have_value("Vegetarisk")
    _no_sideways_scroll(page)
    page.get_by_role("radio", name=wanted.name, exact=True).check()
    if not page.get_by_label("Jag godkänner att mina uppgifter sparas för mötet").is_checked():
        page.get_by_label("Jag godkänner att mina uppgifter sparas för mötet").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("heading", name="Tack för din anmälan!")).to_be_visible()
    registration = db.session.scalar(sa.select(Registration))
    assert registration.organisation_id == wanted.id


def test_answering_an_evaluation_after_a_meeting(app, page, live_server, login_page, outbox):
    seed_core()
    meeting = _meeting(-1, MeetingStatus.HELD)
    anna, _ = reg_svc.register(meeting, "Anna", "anna@example.se", consent=True, send=False, by_organiser=True)
    reg_svc.set_attendance(anna, True)
    moderator = db.session.scalar(sa.select(User).where(User.email == "moderator@samrad.example"))
    login_page(moderator, DEMO_PASSWORD)
    page.goto(f"{live_server}/moten/hantera/{meeting.id}")
    page.get_by_role("button", name="Skapa utvärdering").click()
    expect(page.get_by_text("Utvärderingen är skapad.")).to_be_visible()
    page.goto(f"{live_server}/moten/hantera/{meeting.id}")
    page.get_by_role("button", name="Skicka utvärderingen till deltagarna").click()
    expect(page.get_by_text("Utvärderingen skickades till 1 deltagare.")).to_be_visible()
    link = re.search(r"(http://\S+/utvardering/\S+)", outbox[-1].get_content()).group(1)

    participant = page.context.browser.new_context(locale="sv-SE", viewport=PHONE).new_page()
    participant.goto(link)
    _no_sideways_scroll(participant)
    fieldsets = participant.locator("fieldset.evaluation-statement")
    assert fieldsets.count() == 4
    fieldsets.nth(0).get_by_label("Håller helt med").check()
    participant.get_by_label("Vad ska vi göra annorlunda till nästa gång?").fill("Mer tid i små grupper.")
    participant.get_by_role("button", name="Skicka svaren").click()
    expect(participant.get_by_role("alert")).to_contain_text("Svara på påstående 2, 3, 4")
    expect(participant.get_by_label("Vad ska vi göra annorlunda till nästa gång?")).to_have_value(
        "Mer tid i små grupper.")
    for n in (1, 2):
        fieldsets.nth(n).get_by_label("Håller med", exact=True).check()
    fieldsets.nth(3).get_by_label("Vet inte").check()
    participant.get_by_role("button", name="Skicka svaren").click()
    expect(participant.get_by_role("heading", name="Tack!")).to_be_visible()
    participant.context.close()

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 4
    assert [c.text for c in db.session.scalars(sa.select(EvaluationComment))] == ["Mer tid i små grupper."]
    evaluation = evaluation_svc.evaluation_for_meeting(meeting.id)
    # Plotly is several megabytes (and deferred scripts hold up DOMContentLoaded): wait for the response, then
    # for the text and the chart, however slow the machine.
    page.goto(f"{live_server}/barometrar/utvarderingar/{evaluation.id}", wait_until="commit")
    expect(page.get_by_text("1 person har svarat.")).to_be_visible(timeout=120_000)
    expect(page.locator("#evaluation-likert .main-svg").first).to_be_attached(timeout=120_000)
