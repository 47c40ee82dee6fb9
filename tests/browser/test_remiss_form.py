"""The answer form for volunteers in a real browser: the section list with progress, and the mode "only the
sections I want to comment on", used with the keyboard; nothing typed is hidden or lost by it."""
import os
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD
from core.models import User
from tests.browser.test_remiss import _draft, demo  # noqa: F401  (the demo fixture)

SHOTS = os.environ.get("SAMRAD_SCREENSHOTS")  # a folder: the test also saves its pages at 360 and 1200 px


def _shot(page, name):
    if not SHOTS:
        return
    for width in (360, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=width == 360)
    page.set_viewport_size({"width": 1200, "height": 900})


def test_section_list_progress_and_only_my_sections(page, live_server, login_page, demo, db):  # noqa: F811
    user = db.session.scalar(sa.select(User).where(User.email == "svarande@samrad.example"))
    login_page(user, DEMO_PASSWORD)
    page.goto(f"{live_server}/remisser/{demo.id}")
    page.get_by_role("link", name="Skriv svar").click()
    total = len(demo.sections)
    progress_text = page.locator("[data-progress-text]")
    expect(progress_text).to_have_text(f"0 av {total} avsnitt besvarade")
    toc = page.get_by_role("navigation", name="Avsnitt")
    expect(toc.get_by_role("link")).to_have_count(total)

    page.get_by_label("Kommentar till avsnitt 2", exact=True).fill("Målbilden behöver indikatorer – å ä ö.")
    expect(progress_text).to_have_text(f"1 av {total} avsnitt besvarade")
    expect(page.locator('[data-toc-item] [data-done-badge]').nth(1)).to_have_text("Besvarat")
    expect(page.locator("[data-save-status]")).to_contain_text("Sparat kl.", timeout=8000)

    # With the keyboard: pick section 3, then turn on the mode.
    pick = page.get_by_label("Jag vill kommentera avsnitt 3", exact=True)
    pick.focus()
    page.keyboard.press("Space")
    expect(pick).to_be_checked()
    only = page.get_by_label("Visa bara avsnitten jag vill kommentera")
    only.focus()
    page.keyboard.press("Space")
    expect(page.locator("#section-1")).to_be_hidden()
    expect(page.locator("#section-2")).to_be_visible()   # it has text: never hidden
    expect(page.locator("#section-3")).to_be_visible()   # picked
    expect(page.locator("[data-hidden-note]")).to_contain_text(f"{total - 2} avsnitt är dolda")
    _shot(page, "remiss-answer-only-mine")

    # The choice is remembered on this device, and a link to a hidden section shows it.
    page.reload()
    expect(page.locator("#section-1")).to_be_hidden()
    expect(progress_text).to_have_text(f"1 av {total} avsnitt besvarade")
    toc.get_by_role("link", name=re.compile(r"^1\. ")).click()
    expect(page.locator("#section-1")).to_be_visible()
    expect(page.get_by_label("Jag vill kommentera avsnitt 1", exact=True)).to_be_checked()

    # The saved draft has the text; hiding sections changed nothing in it.
    answer = _draft(db, demo.id)
    saved = {row.section.number: row.comment for row in answer.section_answers}
    assert saved.get(2) == "Målbilden behöver indikatorer – å ä ö."
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.locator(".alert-success, .flash-success").first).to_be_visible()
    answer = _draft(db, demo.id)
    assert {row.section.number: row.comment for row in answer.section_answers}.get(2) == saved[2]
