"""Browser test of the audit trail: an administrator's action shows up in the log, which filters by event."""
from playwright.sync_api import expect


def test_admin_finds_a_token_creation_in_the_log(live_server, login_page, admin):
    page = login_page(admin)
    page.goto(f"{live_server}/konto")
    page.get_by_label("Vad ska nyckeln användas till?").fill("skript")
    page.get_by_role("button", name="Skapa nyckel").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Logg").click()
    expect(page.get_by_role("heading", level=1, name="Logg")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_text("API-nyckel skapad")).to_be_visible()
    expect(table.get_by_text("Ada Admin")).to_be_visible()

    page.get_by_label("Händelse").select_option(label="Remiss publicerad")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("Inga händelser matchar.")).to_be_visible()
    page.get_by_label("Från och med").fill("2026-12-02")
    page.get_by_label("Till och med").fill("2026-12-01")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("Slutdagen ligger före startdagen.")).to_be_visible()
    expect(page.get_by_label("Händelse")).to_have_value("remiss.published")
