"""The remiss "done when": a respondent answers the VGR remiss, loses the session mid-typing without losing
text, submits and gets a receipt; the drafting group then sees the answer in the dashboard, the per-section
view and the XLSX export."""
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_core
from core.models import Organisation, User
from surveys.remiss.demo import DIARIENUMMER, seed_demo
from surveys.remiss.models import Remiss, RemissAnswer
from tests.conftest import PASSWORD


@pytest.fixture
def demo(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REMISS_UPLOAD_DIR", str(tmp_path / "uploads"))
    seed_core()
    seed_demo()
    remiss = db.session.scalar(sa.select(Remiss).where(Remiss.diarienummer == DIARIENUMMER))
    return remiss


def _user(db, email):
    return db.session.scalar(sa.select(User).where(User.email == email))


def _draft(db, remiss_id):
    db.session.expire_all()
    return db.session.scalar(sa.select(RemissAnswer).join(RemissAnswer.organisation)
                             .where(RemissAnswer.remiss_id == remiss_id,
                                    RemissAnswer.organisation.has(name="Social Ekonomi Fyrbodal")))


def test_answer_survives_lost_session_and_reaches_drafting_group(page, context, live_server, login_page, demo, db):
    login_page(_user(db, "svarande@samrad.example"), DEMO_PASSWORD)
    page.goto(f"{live_server}/remisser/")
    page.get_by_role("link", name=demo.title).first.click()
    page.get_by_role("link", name="Skriv svar").click()
    expect(page.get_by_role("heading", name=re.compile("Målbild 2017"))).to_be_visible()

    page.locator('input[name="position"][value="tillstyrker"]').check()
    page.get_by_label("Vem beslutade svaret?").fill("Beslutat av styrelsen 2026-03-12")
    first = page.get_by_label("Kommentar till avsnitt 1", exact=True)
    first.fill("Vi välkomnar att kunskaperna tas tillvara.")
    expect(page.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)

    # The session dies while the respondent is typing.
    second = page.get_by_label("Kommentar till avsnitt 2", exact=True)
    second.press_sequentially("Målbilden behöver ", delay=20)
    context.clear_cookies()
    second.press_sequentially("tydliga indikatorer för uppföljning.", delay=20)
    page.get_by_label("Kommentar till avsnitt 9", exact=True).fill("Dialogen måste vara jämbördig – å ä ö.")

    problem = page.locator("[data-save-problem]")
    expect(problem).to_be_visible(timeout=8000)
    expect(problem).to_contain_text("utloggad")
    expect(second).to_have_value("Målbilden behöver tydliga indikatorer för uppföljning.")
    stored = page.evaluate("() => JSON.stringify(window.localStorage)")
    assert "tydliga indikatorer" in stored

    # Log in again in the tab the message opens; the first tab then saves by itself.
    with context.expect_page() as new_tab:
        page.get_by_role("link", name=re.compile("Logga in igen")).click()
    login = new_tab.value
    login.get_by_label("E-postadress").fill("svarande@samrad.example")
    login.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    login.get_by_role("button", name="Logga in").click()
    expect(login.get_by_role("heading", name="Du är inloggad igen")).to_be_visible()
    login.close()
    page.bring_to_front()
    expect(page.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=12000)
    expect(problem).to_be_hidden()
    draft = _draft(db, demo.id)
    comments = {row.section.number: row.comment for row in draft.section_answers}
    assert comments[2] == "Målbilden behöver tydliga indikatorer för uppföljning."
    assert comments[9] == "Dialogen måste vara jämbördig – å ä ö."

    # The text is still there after a reload, then review and submit.
    page.reload()
    expect(page.get_by_label("Kommentar till avsnitt 2", exact=True)).to_have_value(
        "Målbilden behöver tydliga indikatorer för uppföljning.")
    page.get_by_role("button", name="Spara och granska innan inskickning").click()
    expect(page.get_by_role("heading", name=re.compile("Granska svaret"))).to_be_visible()
    page.get_by_role("button", name="Skicka in svaret").click()
    expect(page.get_by_role("heading", name="Kvitto på remissvar")).to_be_visible()
    expect(page.locator("main")).to_contain_text("tydliga indikatorer")
    assert _draft(db, demo.id).final_position == "tillstyrker"

    # The drafting group sees it.
    context.clear_cookies()
    login_page(_user(db, "skrivargrupp@samrad.example"), DEMO_PASSWORD)
    page.goto(f"{live_server}/remisser/{demo.id}/oversikt")
    expect(page.get_by_role("link", name="Social Ekonomi Fyrbodal")).to_be_visible()
    expect(page.locator("#chart-overall .main-svg").first).to_be_attached(timeout=8000)
    page.goto(f"{live_server}/remisser/{demo.id}/oversikt/avsnitt/2")
    expect(page.locator(".remiss-comments-pane")).to_contain_text("tydliga indikatorer för uppföljning")
    page.goto(f"{live_server}/remisser/{demo.id}/sammanstallning")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner Excel (XLSX)").click()
    with open(download_info.value.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    texts = [c.value for c in wb["Per avsnitt"]["E"]]
    assert "Målbilden behöver tydliga indikatorer för uppföljning." in texts
    assert "Social Ekonomi Fyrbodal" in [c.value for c in wb["Svar"]["A"]]


def _two_writers(browser, live_server, demo, db, make_user):
    """The demo respondent and a colleague of the same organisation, each with the answer open."""

    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Social Ekonomi Fyrbodal"))
    colleague = make_user("kollega@fyrbodal.example", organisations=[org], name="Kim Kollega")
    pages = []
    for email, password in [("svarande@samrad.example", DEMO_PASSWORD), (colleague.email, PASSWORD)]:
        ctx = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        ctx.set_default_timeout(10_000)
        pg = ctx.new_page()
        pg.goto(f"{live_server}/login")
        pg.get_by_label("E-postadress").fill(email)
        pg.get_by_label("Lösenord").fill(password)
        pg.get_by_role("button", name="Logga in").click()
        pg.wait_for_url(lambda url: "/login" not in url)
        pg.goto(f"{live_server}/remisser/{demo.id}/svar/{org.id}")
        pages.append(pg)
    return pages


def test_two_writers_conflict_shows_both_texts(browser, live_server, demo, db, make_user):
    pages = _two_writers(browser, live_server, demo, db, make_user)
    first, second = pages
    first.get_by_label("Allmän kommentar").fill("Styrelsens text.")
    expect(first.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    second.get_by_label("Allmän kommentar").fill("Kollegans text.")
    conflict = second.locator("[data-conflict]")
    expect(conflict).to_be_visible(timeout=8000)
    expect(conflict).to_contain_text("Styrelsens text.")
    expect(conflict).to_contain_text("Kollegans text.")
    assert _draft(db, demo.id).general_comment == "Styrelsens text."
    second.get_by_role("button", name="Behåll min text").click()
    expect(second.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    assert _draft(db, demo.id).general_comment == "Kollegans text."
    for pg in pages:
        pg.context.close()


def test_two_writers_on_different_sections_both_get_saved_without_a_conflict(browser, live_server, demo, db,
                                                                             make_user):
    first, second = _two_writers(browser, live_server, demo, db, make_user)
    first.get_by_label("Kommentar till avsnitt 1", exact=True).fill("Styrelsen skriver om avsnitt 1.")
    expect(first.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    # The colleague's page is one version behind, but nobody else touched avsnitt 2: no conflict to solve.
    second.get_by_label("Kommentar till avsnitt 2", exact=True).fill("Kollegan skriver om avsnitt 2.")
    expect(second.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    expect(second.locator("[data-conflict]")).to_be_hidden()
    # The first writer's text arrived on the colleague's page too.
    expect(second.get_by_label("Kommentar till avsnitt 1", exact=True)).to_have_value("Styrelsen skriver om avsnitt 1.")
    draft = _draft(db, demo.id)
    comments = {row.section.number: row.comment for row in draft.section_answers}
    assert comments[1] == "Styrelsen skriver om avsnitt 1." and comments[2] == "Kollegan skriver om avsnitt 2."
    # Both now change avsnitt 1 from the same saved text: that one is a conflict.
    second.get_by_label("Kommentar till avsnitt 1", exact=True).fill("Kollegans version.")
    expect(second.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    first.get_by_label("Kommentar till avsnitt 1", exact=True).fill("Styrelsens version.")
    expect(first.locator("[data-conflict]")).to_be_visible(timeout=8000)
    expect(first.locator("[data-conflict]")).to_contain_text("Kollegans version.")
    for pg in (first, second):
        pg.context.close()


def test_text_typed_offline_or_left_in_a_crashed_tab_is_not_lost(page, live_server, login_page, demo, db):
    login_page(_user(db, "svarande@samrad.example"), DEMO_PASSWORD)
    org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.name == "Social Ekonomi Fyrbodal"))
    db.session.rollback()  # end the read: on SQLite an open transaction here would block the server's writes
    url = f"{live_server}/remisser/{demo.id}/svar/{org_id}"
    page.goto(url)

    # Offline: the page says so and keeps the text; it reaches the server once the network is back.
    page.context.set_offline(True)
    page.get_by_label("Kommentar till avsnitt 3", exact=True).fill("Skrivet utan nätverk.")
    expect(page.locator("[data-save-status]")).to_contain_text("Kunde inte nå servern", timeout=8000)
    stored = page.evaluate("() => JSON.stringify(window.localStorage)")
    assert "Skrivet utan nätverk." in stored
    with page.expect_response(lambda r: r.url.endswith("/autospara"), timeout=15000) as saved:
        page.context.set_offline(False)
    assert saved.value.status == 200
    expect(page.locator("[data-save-status]")).to_contain_text("Sparat kl.")

    # A tab that crashed before saving: its text waits in localStorage and is restored and saved on return.
    field = page.get_by_label("Kommentar till avsnitt 4", exact=True)
    name = field.get_attribute("name")
    key = page.locator("#remiss-answer-form").get_attribute("data-storage-key")
    version = page.locator('input[name="version"]').input_value()
    page.evaluate("([key, version, name]) => window.localStorage.setItem(key, JSON.stringify("
                  "{version: version, values: {[name]: 'Från en flik som kraschade.'}, at: Date.now()}))",
                  [key, version, name])
    with page.expect_response(lambda r: r.url.endswith("/autospara")) as saved:
        page.reload()
        expect(page.locator("[data-restored]")).to_be_visible()
        expect(page.get_by_label("Kommentar till avsnitt 4", exact=True)).to_have_value("Från en flik som kraschade.")
    assert saved.value.status == 200
    comments = {row.section.number: row.comment for row in _draft(db, demo.id).section_answers}
    assert comments[3] == "Skrivet utan nätverk." and comments[4] == "Från en flik som kraschade."
