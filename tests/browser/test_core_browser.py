"""Browser tests of the foundation: log in, create an organisation, a bad number, switch language."""
import re

import sqlalchemy as sa
from playwright.sync_api import expect

from core.models import Organisation


def test_admin_creates_an_organisation(live_server, login_page, admin, db):
    page = login_page(admin)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Organisationer").click()
    expect(page.get_by_role("heading", level=1, name="Organisationer")).to_be_visible()
    page.get_by_role("link", name="Ny organisation").click()
    page.get_by_label("Namn").fill("Social Ekonomi Fyrbodal")
    page.get_by_label("Organisationsnummer").fill("8024735832")
    page.get_by_label("Juridisk form").select_option(label="Nätverk/plattform")
    page.get_by_label("Delregion eller län").select_option(label="Fyrbodal")
    page.get_by_label("Webbplats").fill("fyrbodal.example")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1, name="Social Ekonomi Fyrbodal")).to_be_visible()
    expect(page.get_by_text("802473-5832")).to_be_visible()
    expect(page.get_by_role("link", name="https://fyrbodal.example")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(sa.select(Organisation.org_number)) == "802473-5832"


def test_bad_number_error_beside_the_field_keeps_what_was_typed(live_server, login_page, admin, db):
    page = login_page(admin)
    page.goto(f"{live_server}/organisationer/ny")
    page.get_by_label("Namn").fill("Min förening")
    page.get_by_label("Organisationsnummer").fill("802473-5833")
    page.get_by_role("button", name="Spara").click()
    number = page.get_by_label("Organisationsnummer")
    expect(number).to_have_value("802473-5833")
    expect(number).to_have_attribute("aria-invalid", "true")
    error = page.locator("#org_number-error")
    expect(error).to_have_text("Kontrollsiffran stämmer inte – kontrollera numret.")
    # Beside the field: the message is in the field's own block and the input points at it.
    expect(page.locator(".field.has-error", has=number)).to_contain_text("Kontrollsiffran stämmer inte")
    expect(number).to_have_attribute("aria-describedby", re.compile(r"\borg_number-error\b"))
    expect(page.get_by_label("Namn")).to_have_value("Min förening")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_switch_language_with_the_header_button(live_server, login_page, moderator, make_organisation):
    make_organisation("Röda korset", legal_form="forening")
    page = login_page(moderator)
    page.goto(f"{live_server}/organisationer/")
    expect(page.get_by_role("heading", level=1, name="Organisationer")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/organisationer/$"))
    expect(page.get_by_role("heading", level=1, name="Organisations")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Legal form")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("columnheader", name="Juridisk form")).to_be_visible()
