"""Browser: the action plan's matrix draws its Plotly heatmap, and a click on a cell opens its evidence."""
import sqlalchemy as sa
from playwright.sync_api import expect

from core.agreements.demo import VGR_TITLE, seed_demo, seed_evidence
from core.agreements.models import Agreement
from core.demo import seed_core
from core.extensions import db
from core.models import utcnow
from core.timeutil import utc_to_local
from dialog.demo import seed_demo as seed_dialog
from dialog.evidence import seed_group_meetings


def _seed(app):
    seed_core()
    seed_dialog()
    seed_demo()
    seed_group_meetings()
    seed_evidence()
    return db.session.scalar(sa.select(Agreement).where(Agreement.title == VGR_TITLE))


def test_matrix_heatmap_renders_and_a_cell_opens_its_evidence(app, page, live_server):
    agreement = _seed(app)
    year = utc_to_local(utcnow()).year
    page.goto(f"{live_server}/overenskommelser/{agreement.id}/handlingsplan", wait_until="domcontentloaded",
              timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Handlingsplan {year}")
    expect(page.locator("#matrix-chart svg.main-svg").first).to_be_attached(timeout=60_000)
    expect(page.locator("#matrix-chart .hm").first).to_be_attached()
    # Dialog × Dialog holds this year's group meetings as evidence: its cell in the table opens them.
    page.get_by_role("link", name="Dialog, Dialog", exact=True).click()
    page.wait_for_url("**/handlingsplan/*/*?ar=*", wait_until="domcontentloaded", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dialog × Dialog")
    expect(page.get_by_role("link", name="Samverkansgruppen: möte 1").first).to_be_visible()


def test_clicking_a_heatmap_cell_opens_it(app, page, live_server):
    agreement = _seed(app)
    page.goto(f"{live_server}/overenskommelser/{agreement.id}/handlingsplan", wait_until="domcontentloaded",
              timeout=60_000)
    chart = page.locator("#matrix-chart")
    expect(chart.locator("svg.main-svg").first).to_be_attached(timeout=60_000)
    expect(chart).to_have_class("chart js-plotly-plot clickable", timeout=5_000)
    box = chart.locator(".nsewdrag").first.bounding_box()
    # The first row and column: Dialog × Information (the y axis runs top-down).
    page.mouse.click(box["x"] + box["width"] / 8, box["y"] + box["height"] / 12)
    page.wait_for_url("**/handlingsplan/*/*?ar=*", wait_until="domcontentloaded", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dialog × Information")
