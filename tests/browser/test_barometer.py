"""The Värmland barometer live: a presenter screen and three phones in headless Chromium."""
import os
import re

import pytest
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_core
from surveys.barometer import access, results, sessions
from surveys.barometer.demo import DEMO_CODE, VARMLAND_STATEMENTS, seed_demo

SHOTS = os.environ.get("BAROMETER_SHOTS", "/tmp/shots")


@pytest.fixture
def demo(app):
    access.forget_session_cache()
    seed_core()
    return seed_demo()


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"barometer-{name}.png"), full_page=True)


def login(page, base):
    page.goto(f"{base}/login")
    page.get_by_label("E-postadress").fill("moderator@samrad.example")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_presenter_and_three_phones_follow_the_moderator(browser, live_server, demo):
    presenter_ctx = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 800})
    presenter_ctx.set_default_timeout(10_000)
    presenter = presenter_ctx.new_page()
    login(presenter, live_server)
    presenter.goto(f"{live_server}/barometrar/sessioner/{demo.id}/visning")
    expect(presenter.locator(".join-code-big")).to_have_text(DEMO_CODE)
    expect(presenter.locator('[data-field="text"]')).to_have_text(VARMLAND_STATEMENTS[0])

    phones, contexts = [], []
    for _ in range(3):
        ctx = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 800})
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        phone = ctx.new_page()
        phone.goto(f"{live_server}/{DEMO_CODE}")
        phone.get_by_role("radio", name="Stiftelse").first.check()
        phone.get_by_role("button", name="Gå med").click()
        expect(phone.locator("#statement-text")).to_have_text(VARMLAND_STATEMENTS[0])
        phones.append(phone)

    try:
        # Everyone answers statement 1; one changes its mind, one double-taps.
        phones[0].get_by_role("button", name=re.compile("Håller helt med")).click()
        phones[1].get_by_role("button", name="Håller inte alls med", exact=True).click()
        phones[1].get_by_role("button", name="Håller med", exact=True).click()
        agree = phones[2].get_by_role("button", name=re.compile("Håller helt med"))
        agree.click()
        agree.click()
        for phone in phones:
            expect(phone.locator("#answer-status")).to_contain_text("sparat")
        expect(phones[1].get_by_role("button", name="Håller med", exact=True)).to_have_attribute(
            "aria-pressed", "true")
        # The presenter's numbers and chart follow without reload.
        expect(presenter.locator('[data-field="total"]').first).to_have_text("3")
        # Two steps have answers (4 and 5): two visible bar segments in the chart.
        presenter.wait_for_function(
            """() => [...document.querySelectorAll('#live-chart .barlayer .point path')]
                 .filter(p => p.getBoundingClientRect().width > 1).length === 2""")
        shot(presenter, "presenter")
        shot(phones[0], "phone")

        # The moderator moves on with the keyboard; the phones follow by themselves.
        presenter.keyboard.press("ArrowRight")
        expect(presenter.locator('[data-field="text"]')).to_have_text(VARMLAND_STATEMENTS[1])
        for phone in phones:
            expect(phone.locator("#statement-text")).to_have_text(VARMLAND_STATEMENTS[1])
        expect(presenter.locator('[data-field="total"]').first).to_have_text("0")
        phones[0].get_by_role("button", name=re.compile("Vet inte")).click()
        phones[1].get_by_role("button", name="Håller inte med", exact=True).click()
        expect(presenter.locator('[data-field="total"]').first).to_have_text("2")
        expect(presenter.locator('[data-field="dont-know"]').first).to_have_text("1")

        # Close: the phones wait; show the result: the phones see it.
        presenter.keyboard.press("s")
        for phone in phones:
            expect(phone.locator("#view-wait")).to_be_visible()
        presenter.keyboard.press("r")
        for phone in phones:
            expect(phone.locator("#result")).to_be_visible()
            expect(phone.locator("#result-total")).to_contain_text("2 svar")
        expect(phones[2].locator(".answer-button").first).to_be_disabled()
        shot(phones[1], "phone-result")

        # A reload keeps the phone's token: no second join.
        phones[2].reload()
        expect(phones[2].locator("#statement-text")).to_have_text(VARMLAND_STATEMENTS[1])
        assert results.participant_count(demo) == 3
    finally:
        for ctx in contexts:
            ctx.close()
        presenter_ctx.close()


def test_phone_page_fits_320_pixels(browser, live_server, demo):
    ctx = browser.new_context(locale="sv-SE", viewport={"width": 320, "height": 640})
    ctx.set_default_timeout(10_000)
    try:
        phone = ctx.new_page()
        phone.goto(f"{live_server}/{DEMO_CODE}")
        phone.get_by_role("button", name="Gå med").click()
        expect(phone.locator("#statement-text")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"the page scrolls sideways: {width}px"
        buttons = phone.locator("#scale-buttons .answer-button")
        expect(buttons).to_have_count(5)
        for i in range(5):
            box = buttons.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["height"] >= 44
        shot(phone, "phone-320")
    finally:
        ctx.close()


def test_unknown_code_lets_you_type_again(page, live_server, demo):
    page.goto(f"{live_server}/QQQQQQ")
    expect(page.locator(".error")).to_contain_text("Vi hittar ingen session")
    page.get_by_label("Kod").fill(DEMO_CODE.lower())
    page.get_by_role("button", name="Gå med").click()
    page.wait_for_url(f"{live_server}/{DEMO_CODE}")
    expect(page.get_by_role("heading", name="Välkommen!")).to_be_visible()


def test_phone_follows_by_polling_when_no_stream_is_free(app, browser, live_server, demo, monkeypatch):
    monkeypatch.setitem(app.config, "LIVE_MAX_STREAMS", 0)  # every stream is refused with 503
    ctx = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 800})
    ctx.set_default_timeout(10_000)
    try:
        phone = ctx.new_page()
        phone.goto(f"{live_server}/{DEMO_CODE}")
        phone.get_by_role("button", name="Gå med").click()
        expect(phone.locator("#statement-text")).to_have_text(VARMLAND_STATEMENTS[0])
        expect(phone.locator("#connection")).to_contain_text("jämna mellanrum")
        phone.get_by_role("button", name="Håller med", exact=True).click()
        expect(phone.locator("#answer-status")).to_contain_text("sparat")
        sessions.session_action(demo, "next")
        expect(phone.locator("#statement-text")).to_have_text(VARMLAND_STATEMENTS[1])
        sessions.session_action(demo, "end")
        expect(phone.locator("#view-ended")).to_be_visible()
    finally:
        ctx.close()
