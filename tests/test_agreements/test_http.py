"""HTTP: openness (published pages are public, drafts are not), the register's export, and the
administrators' forms with CSRF on, keeping what was typed when a post is refused."""
import io
import re
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from core.agreements import actionplan, groups, managing, signing
from core.agreements.demo import load
from core.agreements.models import AgreementDocument, GroupKind, Side, Signatory
from core.exports import XLSX_MIME
from core.models import utcnow
from core.timeutil import utc_to_local
from dialog.models import Meeting


@pytest.fixture
def draft(make_agreement):
    return make_agreement("Utkast till överenskommelse i Värmland", published=False)


@pytest.fixture
def signed(agreement, make_organisation):
    org = make_organisation("Social Ekonomi Fyrbodal", org_number="802473-5832", legal_form="natverk",
                            sub_region="fyrbodal")
    other = make_organisation("Bräcke diakoni", legal_form="stiftelse", sub_region="goteborgsregionen")
    signing.sign(agreement, org, date(2014, 12, 5), "Marie Petterson")
    signing.sign(agreement, other, date(2015, 2, 1), "Ordförande")
    return org


def test_published_pages_are_public_and_drafts_are_not(client, db, agreement, draft):
    group = groups.create_group(agreement, GroupKind.SAMVERKANSGRUPP, "Samverkansgruppen")
    groups.add_member(group, Side.REGION, date(2020, 1, 1), name="Regionens ledamot")
    hidden = groups.create_group(draft, GroupKind.STYRGRUPP, "Hemlig styrgrupp")
    actionplan.load_plan(agreement, load("action_plan_vgr.json"))
    db.session.commit()
    index = client.get("/overenskommelser/").get_data(as_text=True)
    assert agreement.title in index and draft.title not in index
    for url in (f"/overenskommelser/{agreement.id}", f"/overenskommelser/{agreement.id}/undertecknare",
                f"/overenskommelser/grupper/{group.id}", f"/overenskommelser/{agreement.id}/handlingsplan"):
        assert client.get(url).status_code == 200, url
    assert "Regionens ledamot" in client.get(f"/overenskommelser/grupper/{group.id}").get_data(as_text=True)
    for url in (f"/overenskommelser/{draft.id}", f"/overenskommelser/{draft.id}/undertecknare",
                f"/overenskommelser/{draft.id}/undertecknare.csv", f"/overenskommelser/grupper/{hidden.id}",
                f"/overenskommelser/{draft.id}/handlingsplan"):
        assert client.get(url).status_code == 404, url


def test_drafts_are_hidden_from_logged_in_non_administrators(client, auth, moderator, draft):
    auth.login_as(moderator)
    assert client.get(f"/overenskommelser/{draft.id}").status_code == 404
    assert draft.title not in client.get("/overenskommelser/").get_data(as_text=True)


def test_administrator_sees_and_publishes_a_draft(client, auth, forms, admin, draft, db):
    auth.login_as(admin)
    page = client.get(f"/overenskommelser/{draft.id}")
    assert page.status_code == 200 and "Utkast" in page.get_data(as_text=True)
    response = forms.post(f"/overenskommelser/{draft.id}/publicera", page=f"/overenskommelser/{draft.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert draft.is_published
    auth.logout()
    assert client.get(f"/overenskommelser/{draft.id}").status_code == 200


def test_non_administrators_cannot_write(client, auth, forms, moderator, agreement):
    auth.login_as(moderator)
    assert client.get(f"/overenskommelser/{agreement.id}/andra").status_code == 403
    response = forms.post(f"/overenskommelser/{agreement.id}/avpublicera", page="/overenskommelser/")
    assert response.status_code == 403
    assert agreement.is_published
    assert client.get("/overenskommelser/ny").status_code == 403


def test_register_filters_and_exports(client, agreement, signed):
    page = client.get(f"/overenskommelser/{agreement.id}/undertecknare?legal_form=natverk").get_data(as_text=True)
    assert "Social Ekonomi Fyrbodal" in page and "Bräcke diakoni" not in page
    page = client.get(f"/overenskommelser/{agreement.id}/undertecknare?sub_region=goteborgsregionen")
    assert "Bräcke diakoni" in page.get_data(as_text=True)
    csv = client.get(f"/overenskommelser/{agreement.id}/undertecknare.csv?sub_region=fyrbodal")
    text = csv.get_data().decode("utf-8-sig")
    assert text.splitlines()[1].startswith("Social Ekonomi Fyrbodal;802473-5832;Nätverk/plattform;Fyrbodal;2014-12-05")
    assert "Bräcke" not in text
    xlsx = client.get(f"/overenskommelser/{agreement.id}/undertecknare.xlsx")
    assert xlsx.mimetype == XLSX_MIME
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["Bräcke diakoni", "Social Ekonomi Fyrbodal"]


def test_create_agreement_keeps_what_was_typed(client, auth, forms, admin):
    auth.login_as(admin)
    response = forms.post("/overenskommelser/ny", {"kind": "iop", "title": "", "diary_number": "KUN 2024-00123",
                                                   "period_start": "2024-08-01", "period_end": "1 juli"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Skriv överenskommelsens titel." in html and "Skriv datumet som ÅÅÅÅ-MM-DD." in html
    assert 'value="KUN 2024-00123"' in html and 'value="1 juli"' in html
    response = forms.post("/overenskommelser/ny", {"kind": "iop", "title": "IOP plattformarna",
                                                   "period_start": "2024-08-01", "period_end": "2025-12-31",
                                                   "notice_months": "6"}, page="/overenskommelser/ny")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "IOP plattformarna" in page and "6 månaders uppsägningstid." in page


def test_add_party_and_contribution(client, auth, forms, admin, agreement, region, db):
    auth.login_as(admin)
    url = f"/overenskommelser/{agreement.id}"
    response = forms.post(f"{url}/parter", {"party-organisation_id": str(region.id), "party-side": "region",
                                            "party-contact_name": "Anne Svensson",
                                            "party-acting_through": "kulturnämnden"}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    party = agreement.parties[0]
    html = client.get(url).get_data(as_text=True)
    assert "232100-0131" in html and "Anne Svensson" in html
    response = forms.post(f"{url}/parter", {"party-organisation_id": str(region.id), "party-side": "region"}, page=url)
    assert response.status_code == 400 and "redan part" in response.get_data(as_text=True)
    response = forms.post(f"{url}/bidrag", {"contribution-party_id": str(party.id),
                                            "contribution-period_start": "2024-08-01",
                                            "contribution-period_end": "2025-07-31",
                                            "contribution-amount_sek": "300 000"}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Ange hur beloppet betalas ut" in html and 'value="300 000"' in html
    response = forms.post(f"{url}/bidrag", {"contribution-party_id": str(party.id),
                                            "contribution-period_start": "2024-08-01",
                                            "contribution-period_end": "2025-07-31",
                                            "contribution-amount_sek": "300 000",
                                            "contribution-payment_rhythm": "månadsvis"}, page=url)
    assert response.status_code == 302
    assert "300 000 kr" in client.get(url).get_data(as_text=True)


def test_upload_a_pdf_and_refuse_anything_else(client, auth, forms, admin, agreement, app, tmp_path, db):
    app.config["AGREEMENTS_UPLOAD_DIR"] = str(tmp_path)
    try:
        auth.login_as(admin)
        url = f"/overenskommelser/{agreement.id}"
        response = forms.post(f"{url}/dokument", {"document-title": "Beslut",
                                                  "document-file": (io.BytesIO(b"hej"), "beslut.pdf")},
                              page=url, content_type="multipart/form-data")
        assert response.status_code == 400 and "Filen är inte en PDF." in response.get_data(as_text=True)
        response = forms.post(f"{url}/dokument", {"document-title": "Beslut RF § 174",
                                                  "document-file": (io.BytesIO(b"%PDF-1.4 hej"), "beslut.pdf")},
                              page=url, content_type="multipart/form-data")
        assert response.status_code == 302
        db.session.expire_all()
        doc = agreement.documents[0]
        auth.logout()
        download = client.get(f"{url}/dokument/{doc.id}")
        assert download.status_code == 200 and download.data == b"%PDF-1.4 hej"
        download.close()
    finally:
        app.config.pop("AGREEMENTS_UPLOAD_DIR")


def test_sign_and_withdraw_through_the_register(client, auth, forms, admin, agreement, make_organisation, db):
    org = make_organisation("Hela Sverige ska leva Sjuhärad", sub_region="sjuharad")
    auth.login_as(admin)
    url = f"/overenskommelser/{agreement.id}/undertecknare"
    response = forms.post(url, {"sign-organisation_id": str(org.id), "sign-signed_on": "2015-03-01",
                                "sign-signatory_name": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Skriv namnet på den som skrev under." in html
    assert 'value="2015-03-01"' in html
    response = forms.post(url, {"sign-organisation_id": str(org.id), "sign-signed_on": "2015-03-01",
                                "sign-signatory_name": "Ordförande"})
    assert response.status_code == 302
    row = db.session.scalar(db.select(Signatory))
    response = forms.post(f"{url}/{row.id}/lamna", {"withdraw-withdrawn_on": "2014-01-01"}, page=url)
    assert response.status_code == 400 and "före den dag den skrev under" in response.get_data(as_text=True)
    response = forms.post(f"{url}/{row.id}/lamna", {"withdraw-withdrawn_on": "2020-01-01"}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert row.withdrawn_on == date(2020, 1, 1)


def test_group_member_must_come_from_a_signatory(client, auth, forms, admin, agreement, signed, make_organisation):
    group = groups.create_group(agreement, GroupKind.SAMVERKANSGRUPP, "Samverkansgruppen", equal_sides_required=True)
    outsider = make_organisation("Förening som inte skrivit under")
    auth.login_as(admin)
    url = f"/overenskommelser/grupper/{group.id}"
    response = forms.post(f"{url}/medlemmar", {"member-name": "Kim Karlsson", "member-side": "civil_society",
                                               "member-organisation_id": str(outsider.id),
                                               "member-term_start": "2025-01-01"}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "har inte skrivit under" in html and 'value="Kim Karlsson"' in html
    response = forms.post(f"{url}/medlemmar", {"member-name": "Kim Karlsson", "member-side": "civil_society",
                                               "member-organisation_id": str(signed.id),
                                               "member-term_start": "2025-01-01"}, page=url)
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Kim Karlsson" in html and "Sidorna är inte lika många" in html


def test_cell_page_sets_values_and_links_evidence(client, auth, forms, admin, agreement, db):
    actionplan.load_plan(agreement, load("action_plan_vgr.json"))
    db.session.commit()
    principle, level = agreement.principles[0], agreement.levels[0]
    indicator = principle.indicators[0]
    auth.login_as(admin)
    cell = f"/overenskommelser/{agreement.id}/handlingsplan/{principle.id}/{level.id}?ar=2025"
    response = forms.post(f"/overenskommelser/{agreement.id}/indikatorer/{indicator.id}/2025",
                          {"value-met": "1", "value-note": "Dialogmöten i alla delregioner"}, page=cell)
    assert response.status_code == 302
    db.session.expire_all()
    assert indicator.value_for(2025).met is True
    html = client.get(cell).get_data(as_text=True)
    assert "Uppnådd 2025" in html and "Dialogmöten i alla delregioner" in html
    response = forms.post(f"/overenskommelser/{agreement.id}/handlingsplan/{principle.id}/{level.id}/underlag?ar=2025",
                          {"evidence-candidate": "meeting:999"}, page=cell)
    assert response.status_code == 400 and "Välj ett möte" in response.get_data(as_text=True)
    matrix = client.get(f"/overenskommelser/{agreement.id}/handlingsplan?ar=2025").get_data(as_text=True)
    assert 'data-plotly-for="matrix-chart"' in matrix and "1/2" in matrix


def test_cell_of_another_agreement_is_404(client, agreement, make_agreement, db):
    other = make_agreement("Annan överenskommelse")
    actionplan.load_plan(other, load("action_plan_vgr.json"))
    db.session.commit()
    url = f"/overenskommelser/{agreement.id}/handlingsplan/{other.principles[0].id}/{other.levels[0].id}"
    assert client.get(url).status_code == 404


def test_document_of_a_draft_is_not_served(client, draft, db):
    doc = AgreementDocument(agreement=draft, title="Utkast", filename="utkast.pdf", stored_name="x.pdf")
    db.session.add(doc)
    db.session.commit()
    assert client.get(f"/overenskommelser/{draft.id}/dokument/{doc.id}").status_code == 404


def test_a_groups_meeting_shows_its_group_on_the_meeting_page(client, db, agreement, draft):
    group = groups.create_group(agreement, GroupKind.STYRGRUPP, "Styrgruppen för IOP:t")
    hidden = groups.create_group(draft, GroupKind.STYRGRUPP, "Hemlig grupp")
    starts = datetime(2025, 3, 5, 12)
    shown = Meeting(title="Styrgruppsmöte", starts_at=starts, ends_at=starts + timedelta(hours=2), group_id=group.id)
    secret = Meeting(title="Annat möte", starts_at=starts, ends_at=starts + timedelta(hours=2), group_id=hidden.id)
    db.session.add_all([shown, secret])
    db.session.commit()
    html = client.get(f"/moten/{shown.id}").get_data(as_text=True)
    assert "Möte i Styrgruppen för IOP:t" in html and f"/overenskommelser/grupper/{group.id}" in html
    assert "Hemlig grupp" not in client.get(f"/moten/{secret.id}").get_data(as_text=True)


def test_organiser_puts_a_meeting_in_a_group_and_the_group_counts_it(client, auth, forms, moderator, agreement, db):
    group = groups.create_group(agreement, GroupKind.SAMVERKANSGRUPP, "Samverkansgruppen", meetings_min_per_year=4)
    auth.login_as(moderator)
    form = forms.client.get("/moten/hantera/nytt").get_data(as_text=True)
    assert "Samverkansgruppen (Överenskommelse om samverkan)" in form
    start = utc_to_local(utcnow()).replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None) + timedelta(days=1)
    data = {"title": "Samverkansgruppen, extra möte", "kind": "samverkansgrupp", "series_id": "0",
            "group_id": str(group.id), "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "organiser_id": "0"}
    response = forms.post("/moten/hantera/nytt", data, page="/moten/hantera/nytt")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    meeting = db.session.scalar(db.select(Meeting))
    assert meeting.group_id == group.id
    page = client.get(f"/overenskommelser/grupper/{group.id}?ar={start.year}").get_data(as_text=True)
    assert "Samverkansgruppen, extra möte" in page


def test_administrator_sets_the_convener_rota(client, auth, forms, admin, agreement, region, make_organisation, db):
    platform = make_organisation("Social Ekonomi Sjuhärad")
    managing.add_party(agreement, region, Side.REGION)
    managing.add_party(agreement, platform)
    region_party, platform_party = agreement.parties
    group = groups.create_group(agreement, GroupKind.STYRGRUPP, "Styrgruppen")
    auth.login_as(admin)
    url = f"/overenskommelser/grupper/{group.id}"
    response = forms.post(f"{url}/turordning", {f"place-{region_party.id}": "två",
                                                 f"place-{platform_party.id}": "1"}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Skriv platsen i turordningen" in html and 'value="två"' in html
    response = forms.post(f"{url}/turordning", {f"place-{region_party.id}": "2",
                                                 f"place-{platform_party.id}": "1"}, page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.organisation.name for c in group.conveners] == ["Social Ekonomi Sjuhärad", "Västra Götalandsregionen"]
    html = client.get(url).get_data(as_text=True)
    assert re.search(rf'name="place-{platform_party.id}"[^>]*value="1"', html)
    assert re.search(rf'name="place-{region_party.id}"[^>]*value="2"', html)


def test_a_new_group_opens_its_page_and_a_refused_one_keeps_what_was_typed(client, auth, forms, admin, agreement, db):
    auth.login_as(admin)
    url = f"/overenskommelser/{agreement.id}"
    response = forms.post(f"{url}/grupper", {"group-kind": "styrgrupp", "group-name": "",
                                             "group-description": "Leder arbetet", "group-meetings_min_per_year": "2",
                                             "group-meetings_max_per_year": "1"}, page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Skriv gruppens namn." in html
    assert "Högsta antalet kan inte vara mindre än lägsta." in html and "Leder arbetet" in html
    response = forms.post(f"{url}/grupper", {"group-kind": "styrgrupp", "group-name": "Styrgruppen"}, page=url)
    db.session.expire_all()
    group = agreement.groups[0]
    assert response.status_code == 302 and response.headers["Location"] == f"/overenskommelser/grupper/{group.id}"
    assert "Gruppen är skapad." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_measure_refused_by_its_form_says_why_above_the_plan(client, auth, forms, admin, agreement, db):
    actionplan.load_plan(agreement, load("action_plan_vgr.json"))
    db.session.commit()
    measure = agreement.principles[0].measures[0]
    auth.login_as(admin)
    plan = f"/overenskommelser/{agreement.id}/handlingsplan?ar=2025"
    url = f"/overenskommelser/{agreement.id}/atgarder/{measure.id}?ar=2025"
    response = forms.post(url, {"measure-status": "ongoing", "measure-due_on": "till våren"}, page=plan)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"ar=2025#atgard-{measure.id}")
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in client.get(response.headers["Location"]).get_data(as_text=True)
    response = forms.post(url, {"measure-status": "stalled"}, page=plan)
    assert "Välj en status." in client.get(response.headers["Location"]).get_data(as_text=True)
    response = forms.post(url, {"measure-status": "ongoing", "measure-responsible": "Kansliet"}, page=plan)
    assert "Åtgärden är sparad." in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert (measure.status, measure.responsible) == ("ongoing", "Kansliet")


def test_a_removal_needs_the_forms_key_and_goes_back_to_its_place(client, auth, forms, admin, agreement, region, db):
    managing.add_party(agreement, region, Side.REGION)
    party = agreement.parties[0]
    auth.login_as(admin)
    url = f"/overenskommelser/{agreement.id}"
    assert client.post(f"{url}/parter/{party.id}/ta-bort").status_code == 400
    db.session.expire_all()
    assert agreement.parties == [party]
    response = forms.post(f"{url}/parter/{party.id}/ta-bort", page=url)
    assert response.status_code == 302 and response.headers["Location"] == f"{url}#parter"
    assert "Parten är borttagen." in client.get(url).get_data(as_text=True)
    db.session.expire_all()
    assert agreement.parties == []
