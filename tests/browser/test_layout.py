"""Every representative page fits a 320-px phone: nothing scrolls sideways (long words, tables, charts)."""
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.demo import DEMO_PASSWORD, VG_PLATFORMS, seed_core
from core.models import Organisation, User
from dialog.demo import VARMLAND_MEETING, VARMLAND_SERIES
from dialog.demo import seed_demo as seed_dialog
from dialog.models import Meeting, MeetingSeries
from surveys.barometer import access, answering, sessions
from surveys.barometer.demo import DEMO_CODE
from surveys.barometer.demo import seed_demo as seed_barometer
from surveys.remiss.demo import DIARIENUMMER
from surveys.remiss.demo import seed_demo as seed_remiss
from surveys.remiss.models import Remiss

WIDTH, HEIGHT = 320, 640

# The widest elements that stick out, to say where to look when a page is too wide.
WIDEST = """(width) => {
  const clipped = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  return [...document.querySelectorAll('body *')]
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.width > 0 && r.right > width + 0.5 && !clipped(el))
    .sort((a, b) => b[1].right - a[1].right).slice(0, 3)
    .map(([el, r]) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
         + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
         + ' ' + Math.round(r.right) + 'px');
}"""

# Every chart drawn from a figure on the page has its SVG (so its width counts).
CHARTS_DRAWN = """() => [...document.querySelectorAll('script[data-plotly-for]')].every(node => {
  const target = document.getElementById(node.getAttribute('data-plotly-for'));
  return !target || target.querySelector('.main-svg');
})"""


@pytest.fixture
def demo(app, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "REMISS_UPLOAD_DIR", str(tmp_path / "uploads"))
    access.forget_session_cache()
    seed_core()
    seed_dialog()
    seed_remiss()
    live = seed_barometer()
    barometer = live.barometer
    first = barometer.statements[0]
    # A few answers, so the results have bars, tables and a breakdown by background question.
    questions = barometer.background_questions
    for value in (1, 4, 5, None):
        background = {str(q.id): q.options[0]["value"] for q in questions}
        _participant, token = answering.join(live, background)
        answering.submit_answer(live.code, first.id, token, value)
    # An earlier, ended session to compare with.
    earlier = sessions.start_session(barometer, live.created_by, "Ett tidigare möte (test)")
    sessions.session_action(earlier, "open")
    _participant, token = answering.join(earlier, {})
    answering.submit_answer(earlier.code, first.id, token, 2)
    sessions.session_action(earlier, "end")
    return live, earlier


def _one(db, statement):
    return db.session.scalar(statement)


def _pages(db, live, earlier):
    """(path, CSS selector to wait for or None), with the ids of the seeded demo data."""
    admin = _one(db, sa.select(User).where(User.email == "admin@samrad.example"))
    platform = _one(db, sa.select(Organisation).where(Organisation.org_number == VG_PLATFORMS[0][1]))
    remiss = _one(db, sa.select(Remiss).where(Remiss.diarienummer == DIARIENUMMER))
    meeting = _one(db, sa.select(Meeting).where(Meeting.title == VARMLAND_MEETING["title"]))
    series = _one(db, sa.select(MeetingSeries).where(MeetingSeries.title == VARMLAND_SERIES))
    session, barometer = live.id, live.barometer_id
    return [
        ("/", None),
        (f"/barometrar/{barometer}", None),
        (f"/barometrar/sessioner/{session}/resultat", None),
        (f"/barometrar/sessioner/{session}/resultat?jamfor={earlier.id}", None),
        (f"/barometrar/sessioner/{session}", "#live-chart .main-svg"),
        (f"/barometrar/sessioner/{session}/visning", "#live-chart .main-svg"),
        (f"/admin/anvandare/{admin.id}", None),
        (f"/organisationer/{platform.id}/redigera", None),
        (f"/remisser/{remiss.id}/sammanstallning", None),
        (f"/remisser/{remiss.id}/underlag", None),
        (f"/remisser/{remiss.id}/oversikt", None),
        ("/moten/hantera/nytt", None),
        (f"/moten/hantera/{meeting.id}/andra", None),
        (f"/moten/{meeting.id}", None),
        (f"/moten/hantera/serier/{series.id}/statistik", None),
    ]


def _width(page, live_server, path, wait_for=None):
    page.goto(live_server + path)
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN)
    if wait_for:
        page.wait_for_selector(wait_for, state="attached")
    return page.evaluate("document.documentElement.scrollWidth")


def test_pages_fit_a_320_pixel_phone(page, context, live_server, login_page, demo, db):
    live, earlier = demo
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    too_wide = []

    def measure(label, width):
        if width > WIDTH:
            too_wide.append(f"{label}: {width}px ({', '.join(page.evaluate(WIDEST, WIDTH)) or '?'})")

    login_page(_one(db, sa.select(User).where(User.email == "admin@samrad.example")), DEMO_PASSWORD)
    for path, wait_for in _pages(db, live, earlier):
        measure(path, _width(page, live_server, path, wait_for))

    # A participant's phone: the welcome form, then the statement with its answer buttons.
    context.clear_cookies()
    measure(f"/{DEMO_CODE} (välkommen)", _width(page, live_server, f"/{DEMO_CODE}"))
    page.get_by_role("button", name="Gå med").click()
    expect(page.locator("#scale-buttons .answer-button")).to_have_count(5)
    page.locator("#scale-buttons .answer-button").nth(3).click()
    expect(page.locator("#answer-status")).to_contain_text("sparat")
    measure(f"/{DEMO_CODE} (påstående)", page.evaluate("document.documentElement.scrollWidth"))

    # The respondent's answer form for their own organisation.
    respondent = _one(db, sa.select(User).where(User.email == "svarande@samrad.example"))
    remiss = _one(db, sa.select(Remiss).where(Remiss.diarienummer == DIARIENUMMER))
    organisation = respondent.memberships[0].organisation
    login_page(respondent, DEMO_PASSWORD)
    path = f"/remisser/{remiss.id}/svar/{organisation.id}"
    measure(path, _width(page, live_server, path, "textarea"))

    assert not too_wide, f"wider than {WIDTH}px, the page scrolls sideways:\n" + "\n".join(too_wide)
