"""Issue 12 in a browser: the drafting group writes summaries (autosaved; two writers see each other's text rather
than overwrite it), themes a general comment, compiles, downloads the .docx and reads it; the public then finds
"vi frågade – ni svarade – vi gjorde" from the remiss list."""
import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, seed_core
from core.models import Organisation, User
from surveys.remiss import summaries, themes
from surveys.remiss.demo import DIARIENUMMER, seed_demo
from surveys.remiss.models import Remiss, RemissAnswer

DRAFTER = "skrivargrupp@samrad.example"


@pytest.fixture
def demo(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REMISS_UPLOAD_DIR", str(tmp_path / "uploads"))
    seed_core()
    seed_demo()
    themes.ensure_principles()
    return db.session.scalar(sa.select(Remiss).where(Remiss.diarienummer == DIARIENUMMER))


def _drafter(db):
    return db.session.scalar(sa.select(User).where(User.email == DRAFTER))


def test_summary_compile_and_docx(page, live_server, login_page, demo, db):
    page.on("dialog", lambda dialog: dialog.accept())
    login_page(_drafter(db), DEMO_PASSWORD)

    # A section summary beside the comments it summarises, autosaved.
    page.goto(f"{live_server}/remisser/{demo.id}/oversikt/avsnitt/9")
    box = page.get_by_label("Skrivargruppens sammanfattning")
    box.fill("Remissinstanserna vill ha en jämbördig dialog – å ä ö.")
    expect(page.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    db.session.expire_all()
    section9 = next(s for s in demo.sections if s.number == 9)
    assert summaries.get_summary(demo, section9).text == "Remissinstanserna vill ha en jämbördig dialog – å ä ö."

    # A theme on an answer's general comment, from the answer itself.
    answer_id = db.session.scalar(sa.select(RemissAnswer.id).join(RemissAnswer.organisation).where(
        RemissAnswer.remiss_id == demo.id, Organisation.name == "Göteborgsregionens sociala ekonomi"))
    page.goto(f"{live_server}/remisser/{demo.id}/inkomna/{answer_id}")
    page.get_by_label("Lägg till tema (t.ex. en av de sex principerna)").fill("Mångfald")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator("#teman .badge", has_text="Mångfald")).to_be_visible()

    # The overall summary on the compilation page, then close and compile.
    page.goto(f"{live_server}/remisser/{demo.id}/sammanstallning")
    page.get_by_label("Skrivargruppens sammanfattning").fill("Ett brett stöd för förslaget.")
    expect(page.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
    page.goto(f"{live_server}/remisser/{demo.id}")
    page.get_by_role("button", name="Stäng för svar").click()
    page.get_by_role("button", name="Markera som sammanställd").click()
    expect(page.get_by_text("Sammanställd").first).to_be_visible()

    page.goto(f"{live_server}/remisser/{demo.id}/sammanstallning")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner Word-dokument (.docx)").click()
    download = info.value
    assert download.suggested_filename == "remissammanstallning-rs-767-2011.docx"
    doc = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert doc.paragraphs[0].text == "Remissammanställning" and DIARIENUMMER in text
    assert "Ett brett stöd för förslaget." in text
    assert "Remissinstanserna vill ha en jämbördig dialog – å ä ö." in text
    assert "Mångfald" in cells and "Göteborgsregionens sociala ekonomi" in cells
    assert "Dialogen behöver en enkel struktur för uppföljning." in text and "Beaktas delvis" in text
    assert "Bilaga: Alla svar" in text

    # Published: the public finds the outcome page from the remiss list.
    page.goto(f"{live_server}/remisser/{demo.id}")
    page.get_by_role("button", name="Publicera svaren").click()
    page.get_by_role("button", name="Logga ut").click()
    page.goto(f"{live_server}/remisser/")
    page.get_by_role("link", name="Vi frågade – ni svarade – vi gjorde").click()
    expect(page.get_by_role("heading", name="Ni svarade")).to_be_visible()
    expect(page.locator("#vi-gjorde")).to_contain_text("Ett brett stöd för förslaget.")


def test_two_writers_see_each_others_summary_instead_of_overwriting(browser, live_server, demo, db):
    pages = []
    for _ in range(2):
        ctx = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
        ctx.set_default_timeout(10_000)
        p = ctx.new_page()
        p.goto(f"{live_server}/login")
        p.get_by_label("E-postadress").fill(DRAFTER)
        p.get_by_label("Lösenord").fill(DEMO_PASSWORD)
        p.get_by_role("button", name="Logga in").click()
        p.wait_for_url(lambda url: "/login" not in url)
        p.goto(f"{live_server}/remisser/{demo.id}/oversikt/avsnitt/1")
        pages.append(p)
    first, second = pages
    try:
        first.get_by_label("Skrivargruppens sammanfattning").fill("Första skribentens text.")
        expect(first.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)
        second.get_by_label("Skrivargruppens sammanfattning").fill("Andra skribentens text.")
        conflict = second.locator("[data-conflict]")
        expect(conflict).to_be_visible(timeout=8000)
        expect(conflict.locator("[data-theirs]")).to_have_text("Första skribentens text.")
        expect(conflict.locator("[data-mine]")).to_have_text("Andra skribentens text.")
        expect(second.get_by_label("Skrivargruppens sammanfattning")).to_have_value("Andra skribentens text.")
        db.session.expire_all()
        section1 = next(s for s in demo.sections if s.number == 1)
        assert summaries.get_summary(demo, section1).text == "Första skribentens text."
        # The second writer, having read both, keeps a merged text.
        second.get_by_label("Skrivargruppens sammanfattning").fill("Första skribentens text. Andra skribentens text.")
        second.get_by_role("button", name="Behåll min text").click()
        expect(second.locator("[data-save-status]")).to_contain_text(re.compile("Sparat kl."), timeout=8000)
        db.session.expire_all()
        assert summaries.get_summary(demo, section1).text == "Första skribentens text. Andra skribentens text."
    finally:
        for p in pages:
            p.context.close()
