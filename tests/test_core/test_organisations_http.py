"""HTTP tests of the organisation registry: every page for every role, forms posted with CSRF."""
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from core.models import Membership, Organisation
from core.organisations import importing


@pytest.fixture(autouse=True)
def _upload_dir(app, tmp_path, monkeypatch):
    """Uploads kept between preview and confirm go to the test's own folder, not instance/."""
    monkeypatch.setitem(app.config, "ORG_IMPORT_DIR", str(tmp_path / "org_imports"))


@pytest.fixture
def org(make_organisation):
    return make_organisation("Social Ekonomi Sjuhärad", org_number="802469-9889", legal_form="natverk",
                             sub_region="sjuharad", needs_review=True)


@pytest.fixture
def other(make_organisation):
    return make_organisation("Soc. Ekonomi Sjuhärad", notes="Dubblett")


def pages(org, other):
    """(method, url, admin only) for every page of the registry."""
    return [
        ("GET", "/organisationer/", False),
        ("GET", "/organisationer/?q=sju&legal_form=natverk&sub_region=sjuharad&review=ja", False),
        ("GET", f"/organisationer/{org.id}", False),
        ("GET", "/organisationer/export.csv", False),
        ("GET", "/organisationer/export.xlsx", False),
        ("GET", "/organisationer/ny", True),
        ("GET", f"/organisationer/{org.id}/redigera", True),
        ("GET", f"/organisationer/{org.id}/sammanfoga", True),
        ("GET", f"/organisationer/sammanfoga/{org.id}/{other.id}", True),
        ("GET", "/organisationer/importera", True),
    ]


def post_pages(org, other):
    return [
        ("/organisationer/ny", {"name": "X", "legal_form": "forening"}),
        (f"/organisationer/{org.id}/redigera", {"name": "X", "legal_form": "forening"}),
        (f"/organisationer/{org.id}/granskad", {}),
        (f"/organisationer/sammanfoga/{org.id}/{other.id}", {}),
        ("/organisationer/importera/bekrafta", {}),
        ("/organisationer/importera/avbryt", {}),
    ]


def test_anonymous_is_sent_to_login(client, db, org, other):
    for method, url, _ in pages(org, other):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    for url, data in post_pages(org, other):
        # Without a session there is no CSRF token either; either refusal is fine, nothing changes.
        assert client.post(url, data=data).status_code in (302, 400), url
    assert client.application.extensions  # app still alive
    db.session.expire_all()
    assert db.session.get(Organisation, other.id) is not None


def test_respondent_is_refused_everywhere(client, auth, forms, respondent, org, other):
    auth.login_as(respondent)
    for method, url, _ in pages(org, other):
        assert client.open(url, method=method).status_code == 403, url
    token = forms.token("/")
    for url, data in post_pages(org, other):
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url


@pytest.mark.parametrize("who", ["moderator", "skrivare"])
def test_moderator_and_skrivargrupp_view_and_export_only(request, client, auth, forms, who, org, other):
    auth.login_as(request.getfixturevalue(who))
    for method, url, admin_only in pages(org, other):
        assert client.open(url, method=method).status_code == (403 if admin_only else 200), url
    token = forms.token("/organisationer/")
    for url, data in post_pages(org, other):
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    listing = client.get("/organisationer/").get_data(as_text=True)
    assert "Social Ekonomi Sjuhärad" in listing
    assert "/organisationer/ny" not in listing and "/organisationer/importera" not in listing
    detail = client.get(f"/organisationer/{org.id}").get_data(as_text=True)
    assert "Redigera" not in detail and "Markera som granskad" not in detail


def test_admin_sees_every_page(client, auth, admin, org, other):
    auth.login_as(admin)
    for method, url, _ in pages(org, other):
        assert client.open(url, method=method).status_code == 200, url
    assert client.get("/organisationer/999999").status_code == 404
    assert client.get(f"/organisationer/sammanfoga/{org.id}/{org.id}").status_code == 404


def test_list_search_filters_and_pagination(client, auth, moderator, make_organisation):
    for i in range(55):
        make_organisation(f"Förening {i:02d}", legal_form="forening")
    make_organisation("Coompanion Värmland", org_number="769607-4496", legal_form="ekonomisk_forening",
                      contact_email="info@coompanion.example")
    auth.login_as(moderator)
    first = client.get("/organisationer/").get_data(as_text=True)
    assert "56 organisationer" in first and "sida 1 av 2" in first and "Förening 48" in first
    assert "Förening 49" not in first  # Coompanion sorts first
    second = client.get("/organisationer/?sida=2").get_data(as_text=True)
    assert "Förening 54" in second and "Förening 00" not in second
    for q in ("coompanion", "7696074496", "coompanion.example"):
        html = client.get(f"/organisationer/?q={q}").get_data(as_text=True)
        assert "Coompanion Värmland" in html and "Förening 01" not in html, q
    html = client.get("/organisationer/?legal_form=ekonomisk_forening").get_data(as_text=True)
    assert "1 organisation" in html and "Coompanion Värmland" in html
    # A hand-edited URL with an unknown filter value shows everything rather than an error.
    assert client.get("/organisationer/?legal_form=bolag&review=kanske").status_code == 200
    assert client.get("/organisationer/?kind=x&_external=1&sida=abc").status_code == 200
    assert "Inga organisationer matchar" in client.get("/organisationer/?q=finnsinte").get_data(as_text=True)


def test_export_follows_the_filters(client, auth, skrivare, make_organisation):
    make_organisation("Fyrbodal", org_number="802473-5832", sub_region="fyrbodal")
    make_organisation("Skaraborg", org_number="802418-4734", sub_region="skaraborg")
    auth.login_as(skrivare)
    response = client.get("/organisationer/export.csv?sub_region=fyrbodal")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("namn;organisationsnummer;juridisk form")
    assert "Fyrbodal;802473-5832" in text and "Skaraborg" not in text
    response = client.get("/organisationer/export.xlsx")
    assert "attachment" in response.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.get_data())).active
    assert [c.value for c in ws[1]][:2] == ["namn", "organisationsnummer"]
    assert sorted(row[0] for row in ws.iter_rows(min_row=2, values_only=True)) == ["Fyrbodal", "Skaraborg"]


def test_exported_csv_imports_as_unchanged(client, auth, admin, make_organisation, db):
    make_organisation("Fyrbodal", org_number="802473-5832", sub_region="fyrbodal", legal_form="natverk",
                      website="https://fyrbodal.example")
    auth.login_as(admin)
    data = client.get("/organisationer/export.csv").get_data()
    report = importing.report_for_file("export.csv", data)
    assert [r.action for r in report.rows] == ["unchanged"], [r.reasons for r in report.rows]


def test_create_organisation(client, auth, forms, admin, db):
    auth.login_as(admin)
    response = forms.post("/organisationer/ny", {
        "name": "Social Ekonomi Fyrbodal", "org_number": "8024735832", "legal_form": "natverk",
        "sub_region": "fyrbodal", "contact_email": "info@fyrbodal.example", "website": "fyrbodal.example",
        "notes": "Plattform"})
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organisation))
    assert response.headers["Location"].endswith(f"/organisationer/{org.id}")
    assert (org.org_number, org.website, org.sub_region) == ("802473-5832", "https://fyrbodal.example", "fyrbodal")
    page = client.get(f"/organisationer/{org.id}").get_data(as_text=True)
    assert "802473-5832" in page and "https://fyrbodal.example" in page


def test_create_without_number_stores_null(client, auth, forms, admin, db):
    auth.login_as(admin)
    for name in ("Ett", "Två"):
        assert forms.post("/organisationer/ny", {"name": name, "org_number": " ",
                                                 "legal_form": "forening"}).status_code == 302
    assert db.session.scalars(sa.select(Organisation.org_number)).all() == [None, None]


def test_bad_number_shows_error_beside_field_and_keeps_input(client, auth, forms, admin, db):
    auth.login_as(admin)
    response = forms.post("/organisationer/ny", {"name": "Min förening", "org_number": "802473-5833",
                                                 "legal_form": "stiftelse", "contact_email": "kontakt@min.se",
                                                 "notes": "Viktigt"}, page="/organisationer/ny")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="org_number-error">Kontrollsiffran stämmer inte – kontrollera numret.</p>' in html
    assert 'aria-invalid="true"' in html
    assert 'value="802473-5833"' in html and 'value="Min förening"' in html and "Viktigt</textarea>" in html
    assert '<option selected value="stiftelse">' in html
    html = forms.post("/organisationer/ny", {"name": "Min", "org_number": "12-34",
                                             "legal_form": "forening"}).get_data(as_text=True)
    assert "NNNNNN-NNNN" in html and 'value="12-34"' in html
    html = forms.post("/organisationer/ny", {"name": "", "legal_form": "forening", "website": "a b",
                                             "contact_email": "nej@"}).get_data(as_text=True)
    assert "Skriv organisationens namn." in html and "giltig webbadress" in html and "giltig e-postadress" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_duplicate_number_names_the_other_with_a_link(client, auth, forms, admin, make_organisation, db):
    first = make_organisation("Social <Ekonomi> Sjuhärad", org_number="802469-9889")
    second = make_organisation("Annan", org_number="802418-4734")
    auth.login_as(admin)
    html = forms.post("/organisationer/ny", {"name": "Ny", "org_number": "802469 9889",
                                             "legal_form": "forening"}).get_data(as_text=True)
    assert (f'Numret används redan av <a href="/organisationer/{first.id}">Social &lt;Ekonomi&gt; Sjuhärad</a>.'
            in html)
    url = f"/organisationer/{second.id}/redigera"
    html = forms.post(url, {"name": "Annan", "org_number": "8024699889", "legal_form": "forening"}
                      ).get_data(as_text=True)
    assert "Numret används redan av" in html and 'value="8024699889"' in html
    db.session.expire_all()
    assert db.session.get(Organisation, second.id).org_number == "802418-4734"


def test_edit_keeps_own_number(client, auth, forms, admin, org, db):
    auth.login_as(admin)
    page = client.get(f"/organisationer/{org.id}/redigera").get_data(as_text=True)
    assert 'value="802469-9889"' in page and '<option selected value="sjuharad">' in page
    response = forms.post(f"/organisationer/{org.id}/redigera", {
        "name": "Social Ekonomi Sjuhärad", "org_number": "802469-9889", "legal_form": "natverk",
        "sub_region": "", "website": "https://sjuharad.example"})
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Organisation, org.id)
    assert changed.sub_region is None and changed.website == "https://sjuharad.example"


def test_mark_reviewed(client, auth, forms, admin, org, db):
    auth.login_as(admin)
    assert "Markera som granskad" in client.get(f"/organisationer/{org.id}").get_data(as_text=True)
    response = forms.post(f"/organisationer/{org.id}/granskad", {}, page=f"/organisationer/{org.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).needs_review is False


def test_post_without_csrf_is_refused(client, auth, admin, org, db):
    auth.login_as(admin)
    response = client.post(f"/organisationer/{org.id}/redigera", data={"name": "Kapad", "legal_form": "forening"})
    assert response.status_code in (200, 400)
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "Social Ekonomi Sjuhärad"


def test_merge_preview_then_confirm(client, auth, forms, admin, make_user, org, other, db, app):
    moved = make_user("flytt@test.example", organisations=[other], name="Flytt Person")
    both = make_user("bada@test.example", organisations=[org, other], name="Båda Person")
    calls = []
    app.extensions.setdefault("samrad_org_merge_hooks", []).append(lambda k, d: calls.append((k.id, d.id)))
    try:
        auth.login_as(admin)
        choose = client.get(f"/organisationer/{org.id}/sammanfoga").get_data(as_text=True)
        assert f"/organisationer/sammanfoga/{org.id}/{other.id}" in choose  # suggested as a likely duplicate
        url = f"/organisationer/sammanfoga/{org.id}/{other.id}"
        preview = client.get(url).get_data(as_text=True)
        assert "Flytt Person" in preview and "Båda Person" in preview
        assert f"/organisationer/sammanfoga/{other.id}/{org.id}" in preview  # swap which one is kept
        assert db.session.get(Organisation, other.id) is not None  # the preview changes nothing
        response = forms.post(url, {})
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/organisationer/{org.id}")
    finally:
        app.extensions["samrad_org_merge_hooks"].pop()
    org_id, other_id = org.id, other.id
    db.session.expire_all()
    assert calls == [(org_id, other_id)]
    assert db.session.get(Organisation, other_id) is None
    memberships = db.session.execute(sa.select(Membership.user_id, Membership.organisation_id)).all()
    assert sorted(memberships) == sorted([(moved.id, org_id), (both.id, org_id)])
    assert "Dubblett" in db.session.get(Organisation, org_id).notes


def test_merge_search_for_the_duplicate(client, auth, admin, org, make_organisation):
    target = make_organisation("Helt annat namn", org_number="769607-4496")
    auth.login_as(admin)
    html = client.get(f"/organisationer/{org.id}/sammanfoga?q=769607").get_data(as_text=True)
    assert f"/organisationer/sammanfoga/{org.id}/{target.id}" in html


# --- import over HTTP -------------------------------------------------------------------------

CSV = ("\ufeffnamn;organisationsnummer;juridisk form;delregion\n"
       "Social Ekonomi Fyrbodal;8024735832;natverk;Fyrbodal\n"
       "Fel;802473-5833;;\n"
       ";;;\n").encode()


def upload(forms, data, filename):
    return forms.post("/organisationer/importera", {"file": (io.BytesIO(data), filename)},
                      content_type="multipart/form-data")


def test_import_preview_then_confirm(client, auth, forms, admin, db, app):
    auth.login_as(admin)
    preview = upload(forms, CSV, "lista.csv")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Förhandsgranska inläsning" in html and "Skapas" in html and "Avvisad" in html and "Hoppas över" in html
    assert "Kontrollsiffran stämmer inte" in html
    for summary in ("Skapas: 1", "Uppdateras: 0", "Oförändrade: 0", "Avvisade: 1", "Tomma rader: 1"):
        assert summary in html, summary
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0
    with client.session_transaction() as sess:
        pending = dict(sess["org_import"])
    assert importing.load_upload(pending["id"], "csv") == CSV
    # A forged upload id (another tab or another user's) is refused.
    response = forms.post("/organisationer/importera/bekrafta", {"upload_id": "0" * 32},
                          page="/organisationer/importera")
    assert response.status_code == 302
    with client.session_transaction() as sess:
        sess["org_import"] = pending
    result = forms.post("/organisationer/importera/bekrafta", {"upload_id": pending["id"]},
                        page="/organisationer/importera")
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "Inläsningen är klar" in html and "Skapad" in html
    org = db.session.scalar(sa.select(Organisation))
    assert org.org_number == "802473-5832" and org.sub_region == "fyrbodal"
    assert importing.load_upload(pending["id"], "csv") is None  # deleted after use
    # Confirming twice does nothing more.
    again = forms.post("/organisationer/importera/bekrafta", {"upload_id": pending["id"]},
                       page="/organisationer/importera")
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_import_xlsx_and_cancel(client, auth, forms, admin, db):
    wb = Workbook()
    wb.active.append(["name", "org_number"])
    wb.active.append(["Västra Götalandsregionen", "232100-0131"])
    out = io.BytesIO()
    wb.save(out)
    auth.login_as(admin)
    html = upload(forms, out.getvalue(), "lista.xlsx").get_data(as_text=True)
    assert "Västra Götalandsregionen" in html and "Skapas" in html
    with client.session_transaction() as sess:
        pending = dict(sess["org_import"])
    response = forms.post("/organisationer/importera/avbryt", {}, page="/organisationer/importera")
    assert response.status_code == 302
    assert importing.load_upload(pending["id"], "xlsx") is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_import_wrong_type_and_too_large(client, auth, forms, admin, app, monkeypatch):
    auth.login_as(admin)
    html = upload(forms, b"%PDF-1.4", "lista.pdf").get_data(as_text=True)
    assert 'id="file-error">Filen måste vara en CSV-fil (.csv) eller en Excel-fil (.xlsx).</p>' in html
    html = forms.post("/organisationer/importera", {}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Välj en fil att läsa in." in html
    # Kept under 500 kB: larger bodies make Werkzeug's test client leave a temporary file open.
    monkeypatch.setitem(app.config, "ORG_IMPORT_MAX_BYTES", 100 * 1024)
    html = upload(forms, b"namn\n" + b"x" * (100 * 1024 + 10), "stor.csv").get_data(as_text=True)
    assert "Filen är för stor. Den får vara högst 100 kB." in html


def test_english_interface(client, auth, forms, admin, org):
    auth.login_as(admin)
    forms.post("/sprak/en", {"next": "/organisationer/"}, page="/organisationer/")
    html = client.get("/organisationer/").get_data(as_text=True)
    assert "Organisations" in html and "Legal form" in html and "New organisation" in html
    html = forms.post("/organisationer/ny", {"name": "X", "org_number": "802473-5833",
                                             "legal_form": "forening"}).get_data(as_text=True)
    assert "The check digit does not match – check the number." in html


def test_merge_failure_in_a_hook_changes_nothing(client, auth, forms, admin, org, other, db, app):
    def broken(keep, drop):
        raise RuntimeError("hook failed")

    app.extensions.setdefault("samrad_org_merge_hooks", []).append(broken)
    try:
        auth.login_as(admin)
        url = f"/organisationer/sammanfoga/{org.id}/{other.id}"
        response = forms.post(url, {}, follow_redirects=True)
    finally:
        app.extensions["samrad_org_merge_hooks"].remove(broken)
    assert "Sammanfogningen kunde inte göras" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, other.id) is not None


def test_home_tells_administrators_about_organisations_to_review(client, auth, admin, moderator, make_organisation):
    auth.login_as(admin)
    assert "Organisationer att granska" not in client.get("/").get_data(as_text=True)
    make_organisation("Föreningen Gläntan", needs_review=True)
    make_organisation("Byalaget Ängen", needs_review=True)
    html = client.get("/").get_data(as_text=True)
    assert "Organisationer att granska" in html and "2 organisationer har lagts till" in html
    assert 'href="/organisationer/?review=ja"' in html
    listed = client.get("/organisationer/?review=ja").get_data(as_text=True)
    assert "Föreningen Gläntan" in listed and "Byalaget Ängen" in listed
    auth.logout()
    auth.login_as(moderator)
    assert "Organisationer att granska" not in client.get("/").get_data(as_text=True)
