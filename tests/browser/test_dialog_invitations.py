"""Browser: the organiser invites three organisations, one follows its link to registration, the status page shows it."""
import os
import re
from datetime import timedelta

from playwright.sync_api import expect

from core.extensions import db
from core.models import utcnow
from dialog.models import Meeting

SHOTS = os.environ.get("SAMRAD_SHOTS", "/tmp/shots")
ORGANISATIONS = [("Uddevalla IF", "forening", "fyrbodal", "kansli@uddevallaif.example"),
                 ("Skövde Scouter", "forening", "skaraborg", "scout@skovde.example"),
                 ("Stiftelsen Kvarnen", "stiftelse", "sjuharad", "kvarnen@example.se"),
                 ("Föreningen Utanför", "forening", "goteborgsregionen", "utanfor@example.se")]


def _shoot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    for width in (360, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


def test_invite_three_follow_one_link_and_see_the_status(app, page, browser, live_server, login_page, outbox,
                                                        moderator, make_organisation):
    for name, form, region, email in ORGANISATIONS:
        make_organisation(name, legal_form=form, sub_region=region, contact_email=email)
    start = (utcnow() + timedelta(days=20)).replace(second=0, microsecond=0)
    meeting = Meeting(title="Dialogmöte om överenskommelsen", starts_at=start, ends_at=start + timedelta(hours=3),
                      place="Vänersborg", status="open")
    db.session.add(meeting)
    db.session.commit()

    login_page(moderator)
    page.goto(f"{live_server}/moten/hantera/{meeting.id}")
    page.get_by_role("navigation", name="Mötets sidor").get_by_role("link", name="Inbjudningar").click()
    expect(page.get_by_role("heading", name="Bjud in organisationer")).to_be_visible()

    page.get_by_text("Välj organisationer för hand").click()
    for name, *_rest in ORGANISATIONS[:3]:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Visa urvalet").click()
    expect(page.get_by_role("heading", name="3 organisationer får en inbjudan")).to_be_visible()
    _shoot(page, "dialog-invitations-preview")
    page.get_by_role("button", name="Skicka inbjudningarna").click()
    expect(page.get_by_text("3 inbjudningar ligger i e-postkön")).to_be_visible()

    mails = {m["To"]: m for m in outbox}  # the worker runs: the queued mails go out
    assert sorted(mails) == ["kansli@uddevallaif.example", "kvarnen@example.se", "scout@skovde.example"]
    text = mails["scout@skovde.example"].get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/moten/inbjudan/\S+)", text).group(1)

    # The invited organisation's contact opens the link in a browser of its own and registers in one step.
    other = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    try:
        guest = other.new_page()
        guest.goto(link)
        expect(guest.get_by_text("Inbjudan till Skövde Scouter")).to_be_visible()
        expect(guest.get_by_label("E-postadress")).to_have_value("scout@skovde.example")
        _shoot(guest, "dialog-invitation-link")
        guest.set_viewport_size({"width": 360, "height": 900})
        guest.get_by_label("Namn").fill("Sara Scout")
        guest.get_by_label("Jag godkänner att mina uppgifter sparas för mötet").check()
        guest.get_by_role("button", name="Skicka anmälan").click()
        expect(guest.get_by_role("heading", name="Tack för din anmälan!")).to_be_visible()
    finally:
        other.close()

    page.reload()
    rows = page.locator("#skickade tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="Skövde Scouter")).to_contain_text("Anmäld")
    expect(rows.filter(has_text="Uddevalla IF")).to_contain_text("Inbjuden")
    expect(rows.filter(has_text="Uddevalla IF")).to_contain_text("Skickat")
    expect(page.locator("#chart-invited-forms .main-svg").first).to_be_visible(timeout=30_000)  # plotly.js is big
    _shoot(page, "dialog-invitations-status")
