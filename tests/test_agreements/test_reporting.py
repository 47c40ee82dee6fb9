"""The yearly report: figures computed from Samråd's own data, the group's text per section, publishing,
the printable view and the .docx."""
import io
from datetime import date, datetime

import pytest
from docx import Document

from core.agreements import actionplan, groups, reporting
from core.agreements.models import AgreementError, GroupKind, Measure, MeasureStatus, Side
from core.models import Role
from dialog.models import MeetingStatus, Registration
from tests.test_agreements.test_groups import meeting

YEAR = 2025


@pytest.fixture
def group(agreement):
    return groups.create_group(agreement, GroupKind.SAMVERKANSGRUPP, "Samverkansgruppen", meetings_min_per_year=4,
                               meetings_max_per_year=12, meetings_min_spring=2, meetings_min_autumn=2)


@pytest.fixture
def plan(agreement):
    dialog = actionplan.add_principle(agreement, "dialog", "Dialog")
    level = actionplan.add_level(agreement, "information", "Information")
    return dialog, level


def cell_url(p, lv):
    return f"/cell/{p.id}/{lv.id}"


def sections_by_key(agreement, year=YEAR, today=date(2026, 12, 1)):
    return {s.key: s for s in reporting.build(agreement, year, cell_url, today=today, now=datetime(2026, 12, 1))}


def test_meetings_per_group_against_the_target(db, agreement, group):
    for month in (2, 9, 10):
        meeting(db, group, datetime(YEAR, month, 10, 13))
    meeting(db, group, datetime(YEAR, 11, 10, 13), status=MeetingStatus.CANCELLED)
    section = sections_by_key(agreement)["meetings"]
    assert dict(section.figures) == {"Grupper": 1, "Hållna möten": 3}
    (table,) = section.tables
    assert table.rows == [["Samverkansgruppen", 3, 0, "4–12", 1, 2, "1 saknas"]]
    assert len(section.charts) == 1


def test_organisations_reached_are_distinct_with_first_timers(db, agreement, group, make_organisation):
    old = make_organisation("Gammal förening", sub_region="fyrbodal")
    new = make_organisation("Ny stiftelse", legal_form="stiftelse", sub_region="skaraborg")
    before = meeting(db, group, datetime(YEAR - 1, 5, 1, 13))
    first = meeting(db, group, datetime(YEAR, 3, 1, 13))
    second = meeting(db, group, datetime(YEAR, 9, 1, 13))
    for row, org in ((before, old), (first, old), (first, new), (second, new)):
        db.session.add(Registration(meeting_id=row.id, name="Deltagare", email=f"{org.id}.{row.id}@test.example",
                                    organisation_id=org.id))
    db.session.commit()
    sections = sections_by_key(agreement)
    reach = sections["reach"]
    assert dict(reach.figures) == {"Organisationer": 2, "Första gången": 1}
    by_form, by_region = reach.tables
    assert sorted(r[1] for r in by_form.rows) == [1, 1]
    assert {r[0] for r in by_region.rows} == {"Fyrbodal", "Skaraborg"}
    assert dict(sections["dialog"].figures)["Organisationer som deltog"] == 2


def test_action_plan_status_and_late_measures(db, agreement, plan):
    principle, _level = plan
    done = Measure(principle=principle, text="Klar åtgärd", status=MeasureStatus.DONE, due_on=date(YEAR, 3, 1))
    late = Measure(principle=principle, text="Sen åtgärd", responsible="Regionen", due_on=date(YEAR, 6, 1))
    future = Measure(principle=principle, text="Senare", due_on=date(YEAR + 3, 1, 1))
    db.session.add_all([done, late, future])
    db.session.commit()
    section = sections_by_key(agreement)["actionplan"]
    assert dict(section.figures) == {"Åtgärder": 3, "Klara": 1, "Försenade": 1}
    matrix, per_principle, late_table = section.tables
    assert matrix.header == ["Princip", "Information"]
    assert per_principle.rows == [["Dialog", 3, 1, 1]]
    assert late_table.rows == [["Dialog", "Sen åtgärd", "Regionen", f"{YEAR}-06-01"]]
    assert len(section.charts) == 1


def test_the_late_count_is_as_the_year_ended(db, agreement, plan):
    principle, _level = plan
    db.session.add(Measure(principle=principle, text="Till våren", due_on=date(YEAR + 1, 3, 1)))
    db.session.commit()
    assert dict(sections_by_key(agreement)["actionplan"].figures)["Försenade"] == 0


def test_sections_come_from_every_area_through_the_registry(agreement):
    keys = [s.key for s in reporting.build(agreement, YEAR, cell_url)]
    assert keys == ["intro", "meetings", "reach", "dialog", "remiss", "barometer", "actionplan"]


def test_text_is_stored_per_section_and_checked(db, agreement):
    report = reporting.get_or_create_report(agreement, YEAR)
    keys = {"intro", "meetings"}
    reporting.save_text(report, "intro", "  Året i korthet.\r\n\r\nAndra stycket. ", keys)
    reporting.save_text(report, "intro", "Året i korthet.\n\nAndra stycket.", keys)
    assert report.text_for("intro") == "Året i korthet.\n\nAndra stycket."
    assert len(report.texts) == 1
    with pytest.raises(AgreementError):
        reporting.save_text(report, "okänd", "x", keys)
    with pytest.raises(AgreementError) as caught:
        reporting.save_text(report, "intro", "x" * (reporting.TEXT_MAX + 1), keys)
    assert "högst" in str(caught.value.message)
    reporting.publish(report)
    with pytest.raises(AgreementError):
        reporting.publish(report)
    reporting.unpublish(report)
    assert not report.is_published


def test_docx_holds_the_text_and_the_figures(db, agreement, group):
    meeting(db, group, datetime(YEAR, 2, 10, 13))
    report = reporting.get_or_create_report(agreement, YEAR)
    sections = reporting.build(agreement, YEAR, cell_url, now=datetime(2026, 12, 1))
    reporting.save_text(report, "meetings", "Gruppen träffades en gång.", {s.key for s in sections})
    doc = Document(io.BytesIO(reporting.to_docx(agreement, YEAR, report, sections)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Årsberättelse {YEAR}" in text
    assert "Gruppen träffades en gång." in text
    assert "Utkast – inte publicerad." in text
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["Samverkansgruppen", "1", "0", "4–12", "1", "0", "3 saknas"] in cells


# --- HTTP -------------------------------------------------------------------------------------------------------

def url(agreement, tail=""):
    return f"/overenskommelser/{agreement.id}/arsberattelse/{YEAR}{tail}"


def test_a_draft_report_is_only_for_its_writers(client, auth, agreement, admin, make_user, group):
    assert client.get(url(agreement)).status_code == 404
    assert client.get(url(agreement, ".docx")).status_code == 404
    assert client.get(url(agreement, "/utskrift")).status_code == 404
    assert str(YEAR) not in client.get(f"/overenskommelser/{agreement.id}/arsberattelse").get_data(as_text=True)
    member = make_user("ledamot@test.example")
    groups.add_member(group, Side.REGION, date(2020, 1, 1), user=member)
    auth.login_as(member)
    page = client.get(url(agreement))
    assert page.status_code == 200
    assert "Skriv texten" in page.get_data(as_text=True)
    auth.logout()
    outsider = make_user("annan@test.example", roles=[Role.MODERATOR])
    auth.login_as(outsider)
    assert client.get(url(agreement)).status_code == 404
    assert Role.ADMIN in admin.roles


def test_write_publish_and_read_publicly(client, auth, forms, agreement, admin, group):
    auth.login_as(admin)
    page = client.get(url(agreement)).get_data(as_text=True)
    assert "data-plotly-for" in page
    response = forms.post(url(agreement, "/text/intro"), {"text": "Ett år av samverkan i Västra Götaland."},
                          page=url(agreement))
    assert response.status_code == 302
    too_long = "å" * (reporting.TEXT_MAX + 1)
    refused = forms.post(url(agreement, "/text/meetings"), {"text": too_long}, page=url(agreement))
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "högst" in body and too_long in body  # what was typed is kept
    assert forms.post(url(agreement, "/text/okand"), {"text": "x"}, page=url(agreement)).status_code == 404
    assert forms.post(url(agreement, "/publicera"), {}, page=url(agreement)).status_code == 302
    auth.logout()
    public = client.get(url(agreement))
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert "Ett år av samverkan i Västra Götaland." in text
    assert "Skriv texten" not in text
    assert "Publicera årsberättelsen" not in text
    assert client.get(url(agreement, "/utskrift")).status_code == 200
    docx = client.get(url(agreement, ".docx"))
    assert docx.status_code == 200
    assert docx.mimetype.endswith("wordprocessingml.document")
    paragraphs = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
    assert "Ett år av samverkan i Västra Götaland." in paragraphs
    index = client.get(f"/overenskommelser/{agreement.id}/arsberattelse").get_data(as_text=True)
    assert f"Årsberättelse {YEAR}" in index
    # Others cannot write even a published report.
    assert forms.post(url(agreement, "/text/intro"), {"text": "x"}, page=url(agreement)).status_code == 403


def test_years_outside_the_agreement_are_not_found(client, auth, agreement, admin):
    auth.login_as(admin)
    assert client.get(f"/overenskommelser/{agreement.id}/arsberattelse/1990").status_code == 404
    assert client.get(f"/overenskommelser/{agreement.id}/arsberattelse/2999").status_code == 404
