"""Browser: register from the public page, cancel with the mailed link, check in, minutes and carry-over."""
import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_core
from core.extensions import db
from core.models import User, utcnow
from dialog.demo import VARMLAND_SERIES, seed_demo
from dialog.models import Meeting, MeetingSeries, Registration, RegistrationStatus


def _seed():
    seed_core()
    seed_demo()
    series = db.session.scalar(sa.select(MeetingSeries).where(MeetingSeries.title == VARMLAND_SERIES))
    held, upcoming = series.meetings
    start = (utcnow() + timedelta(days=90)).replace(second=0, microsecond=0)
    third = Meeting(series=series, title="Dialogmöte 3 i Värmland", starts_at=start,
                    ends_at=start + timedelta(hours=3), status="planned")
    db.session.add(third)
    db.session.commit()
    moderator = db.session.scalar(sa.select(User).where(User.email == "moderator@samrad.example"))
    return upcoming.id, third.id, moderator


def _register(page, base, meeting_id, name, email, organisation):
    page.goto(f"{base}/moten/")
    page.get_by_role("link", name="Dialogmöte 2 i Värmland: förslag till samverkan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dialogmöte 2 i Värmland: förslag till samverkan")
    page.get_by_role("link", name="Anmäl dig").click()
    page.get_by_label("Namn").fill(name)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Organisation", exact=True).fill(organisation)
    page.get_by_label("Kost och allergier").fill("Vegetarisk")
    page.get_by_label("Jag godkänner att mina uppgifter sparas för mötet").check()
    page.get_by_role("button", name="Skicka anmälan").click()
    expect(page.get_by_role("heading", name="Tack för din anmälan!")).to_be_visible()


def test_register_check_in_minutes_and_carry_over(app, page, live_server, login_page, outbox):
    meeting_id, third_id, moderator = _seed()

    # A person registers from the public page and gets the confirmation with the .ics.
    _register(page, live_server, meeting_id, "Anna Andersson", "anna@example.se", "RFSL Värmland")
    _register(page, live_server, meeting_id, "Bo Berg", "bo@example.se", "PRO")
    mails = {m["To"]: m for m in outbox}
    assert [a.get_filename() for a in mails["anna@example.se"].iter_attachments()] == ["mote.ics"]

    # Bo cancels with the personal link from his mail.
    body = mails["bo@example.se"].get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/moten/anmalan/\S+)", body).group(1)
    page.goto(link)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Avboka min anmälan").click()
    expect(page.get_by_text("Din anmälan är avbokad.")).to_be_visible()
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Registration.email, Registration.status)
                                       .where(Registration.meeting_id == meeting_id)).all())
    assert statuses == {"anna@example.se": RegistrationStatus.REGISTERED, "bo@example.se": RegistrationStatus.CANCELLED}

    # The organiser checks Anna in on the tablet list: the tick is instant (fetch) and kept.
    login_page(moderator, DEMO_PASSWORD)
    page.set_viewport_size({"width": 800, "height": 1100})
    page.goto(f"{live_server}/moten/hantera/{meeting_id}/incheckning")
    page.get_by_label("Sök namn eller organisation").fill("anna")
    row = page.locator(".checkin-row", has_text="Anna Andersson")
    row.get_by_role("button", name=re.compile("Pricka av")).click()
    expect(row.get_by_role("button", name=re.compile("Närvarande"))).to_be_visible()
    expect(page.locator("[data-present-count]")).to_have_text("1")
    assert "/incheckning" in page.url and "#" not in page.url  # no page load happened
    page.reload()
    expect(page.locator(".checkin-row.is-present", has_text="Anna Andersson")).to_be_visible()
    page.screenshot(path="/tmp/shots/dialog-checkin.png", full_page=True)

    # A walk-in is added on the spot.
    page.get_by_label("Namn", exact=True).fill("Leif Tyrén")
    page.locator("#walkin-new_organisation").fill("Värmlandskooperativen")
    page.get_by_role("button", name="Lägg till som närvarande").click()
    expect(page.get_by_text("Leif Tyrén är tillagd")).to_be_visible()

    # Minutes and a follow-up task.
    page.goto(f"{live_server}/moten/hantera/{meeting_id}/anteckningar")
    page.get_by_text("Lägg till en punkt i anteckningarna").click()
    new_item = page.locator("form[action$='/anteckningar/ny']")
    new_item.get_by_label("Rubrik").fill("Uppdragsgruppens förslag")
    new_item.get_by_label("Anteckningar").fill("Gruppen föreslår ett värmländskt nätverk.")
    new_item.get_by_label("Beslut").fill("Förslaget skickas ut till organisationerna")
    new_item.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_text("Punkten är tillagd i anteckningarna.")).to_be_visible()
    task = page.locator("form[action$='/uppgifter']")
    task.get_by_label("Vad ska göras").fill("Skicka förslaget till alla deltagande organisationer")
    task.get_by_label("Vem").fill("Monika Ståhl")
    task.get_by_role("button", name="Lägg till uppgiften").click()
    expect(page.get_by_text("Uppgiften är tillagd.")).to_be_visible()
    page.screenshot(path="/tmp/shots/dialog-minutes.png", full_page=True)

    # The next meeting of the series shows the open tasks, from this meeting and the one before.
    page.goto(f"{live_server}/moten/{third_id}")
    followup = page.locator("table", has_text="Skicka förslaget till alla deltagande organisationer")
    expect(followup).to_be_visible()
    expect(followup).to_contain_text("Monika Ståhl")
    expect(followup).to_contain_text("Bosse Dalbo")
    page.screenshot(path="/tmp/shots/dialog-next-meeting.png", full_page=True)
