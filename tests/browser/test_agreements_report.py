"""Browser: the published yearly report draws every Plotly chart, on a phone and on a desktop."""
import os

import sqlalchemy as sa
from playwright.sync_api import expect

from core.agreements import reporting
from core.agreements.demo import VGR_TITLE, seed_demo, seed_evidence, seed_report
from core.agreements.models import Agreement
from core.demo import seed_core
from core.extensions import db
from core.models import utcnow
from core.timeutil import utc_to_local
from dialog.demo import seed_demo as seed_dialog
from dialog.evidence import seed_group_meetings, seed_group_registrations
from surveys.barometer.demo import seed_demo as seed_barometer
from surveys.barometer.demo import seed_report_demo as seed_barometer_rounds
from surveys.remiss.demo import seed_demo as seed_remiss
from surveys.remiss.demo import seed_report_demo as seed_published_remiss

SHOTS = "/tmp/shots"


def _published_report():
    seed_core()
    seed_dialog()
    seed_remiss()
    seed_published_remiss()
    seed_barometer()
    seed_barometer_rounds()
    seed_demo()
    seed_group_meetings()
    seed_group_registrations()
    seed_evidence()
    seed_report()
    agreement = db.session.scalar(sa.select(Agreement).where(Agreement.title == VGR_TITLE))
    year = utc_to_local(utcnow()).year
    reporting.publish(reporting.get_report(agreement, year))
    return agreement, year


def test_published_report_draws_its_charts(app, page, live_server):
    agreement, year = _published_report()
    os.makedirs(SHOTS, exist_ok=True)
    for width in (360, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/overenskommelser/{agreement.id}/arsberattelse/{year}",
                  wait_until="domcontentloaded", timeout=60_000)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Årsberättelse {year}")
        charts = page.locator(".report-chart .chart")
        expect(charts.first).to_be_attached()
        count = charts.count()
        assert count >= 5  # meetings, organisations, dialog, remiss, barometer, action plan
        for i in range(count):
            expect(charts.nth(i).locator("svg.main-svg").first).to_be_attached(timeout=60_000)
        expect(page.locator("#chart-actionplan-1 .hm").first).to_be_attached()
        expect(page.get_by_text("Samverkansgruppen har under året följt upp handlingsplanen.")).to_be_visible()
        # Anonymous readers get no forms to write or publish.
        expect(page.get_by_role("button", name="Publicera årsberättelsen")).to_have_count(0)
        no_overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert no_overflow, f"the page is wider than {width} px"
        page.screenshot(path=os.path.join(SHOTS, f"agreements-report-{width}.png"), full_page=True, timeout=60_000)


def test_printable_view_has_a_print_button_and_the_charts(app, page, live_server):
    agreement, year = _published_report()
    page.goto(f"{live_server}/overenskommelser/{agreement.id}/arsberattelse/{year}/utskrift",
              wait_until="domcontentloaded", timeout=60_000)
    expect(page.get_by_role("button", name="Skriv ut")).to_be_visible()
    expect(page.locator("#chart-meetings-1 svg.main-svg").first).to_be_attached(timeout=60_000)
