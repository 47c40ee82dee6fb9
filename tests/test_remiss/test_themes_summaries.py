"""Issue 12: themes on every comment and their totals, written summaries with a version check, the public
"vi frågade – ni svarade – vi gjorde" page and the .docx compilation — as functions and over HTTP."""
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from core.models import utcnow
from surveys.remiss import answering, compilation, managing, review, summaries, themes
from surveys.remiss.compilation_docx import build_docx
from surveys.remiss.models import PRINCIPLES, RemissError, Theme
from tests.conftest import csrf_token_from
from tests.test_remiss.conftest import fill


@pytest.fixture
def two_answers(remiss, submitted, other_org, other_respondent):
    other = answering.get_or_start_answer(remiss, other_org.id, other_respondent)
    fill(other, other_respondent, position="avstyrker", comment="Mer mångfald behövs.", section_text="Nej till")
    answering.submit(other, other_respondent)
    return submitted, other


def _marked(remiss, two_answers, skrivare):
    """Dialog on Fyrbodal's general comment and on its section-1 comment; Mångfald on a quote of Sjuhärad's."""
    mine, other = two_answers
    themes.add_general_theme(mine, "dialog", skrivare)
    [row_mine, row_other] = sorted(review.section_comments(remiss, remiss.sections[0]), key=lambda r: r.answer_id)
    review.add_tag(row_mine, "Dialog")
    quote = review.add_quote(row_other, "Nej till 1", skrivare)
    themes.add_quote_theme(quote, "Mångfald", skrivare)
    return quote


# --- unit ---------------------------------------------------------------------------------------------------

def test_principles_are_seeded_as_rows(db):
    assert [t.name for t in themes.principles()] == list(PRINCIPLES)
    assert all(t.is_principle for t in themes.principles())


def test_creating_the_table_seeds_the_principles():
    engine = sa.create_engine("sqlite://")
    Theme.metadata.create_all(engine)
    with engine.connect() as conn:
        names = conn.execute(sa.select(Theme.name).where(Theme.remiss_id.is_(None)).order_by(Theme.position))
        assert list(names.scalars()) == list(PRINCIPLES)
    engine.dispose()


def test_themes_on_general_comment_section_comment_and_quote_are_totalled(remiss, two_answers, skrivare):
    _marked(remiss, two_answers, skrivare)
    t = themes.totals(remiss)
    assert t["overall"] == {"Dialog": 2, "Mångfald": 1}
    assert t["themes"] == ["Dialog", "Mångfald"]
    first = remiss.sections[0].id
    assert t["by_section"][None] == {"Dialog": 1} and t["by_section"][first] == {"Dialog": 1, "Mångfald": 1}
    assert t["by_sub_region"]["fyrbodal"] == {"Dialog": 2} and t["by_sub_region"]["sjuharad"] == {"Mångfald": 1}
    assert t["by_legal_form"]["natverk"] == {"Dialog": 2, "Mångfald": 1}
    assert themes.main_themes(remiss, limit=1) == [("Dialog", 2)]


def test_a_theme_is_written_once_per_comment_and_an_own_theme_is_remembered(remiss, two_answers, skrivare, db):
    mine, _other = two_answers
    assert themes.add_general_theme(mine, "  Digital   delaktighet ", skrivare).tag == "Digital delaktighet"
    assert themes.add_general_theme(mine, "digital delaktighet", skrivare) is None
    assert themes.add_general_theme(mine, "DIALOG", skrivare).tag == "Dialog"  # the principle's own spelling
    own = db.session.scalars(sa.select(Theme.name).where(Theme.remiss_id == remiss.id)).all()
    assert own == ["Digital delaktighet"]
    assert themes.theme_options(remiss)[:6] == list(PRINCIPLES)
    assert "Digital delaktighet" in themes.theme_options(remiss)
    with pytest.raises(RemissError, match="Skriv ett tema"):
        themes.add_general_theme(mine, "   ", skrivare)


def test_comments_behind_a_total_follow_its_filters(remiss, two_answers, skrivare):
    _marked(remiss, two_answers, skrivare)
    all_dialog = themes.comments_for(remiss, "Dialog")
    assert [(i["kind"], i["organisation"]) for i in all_dialog] == [
        ("general", "Social Ekonomi Fyrbodal"), ("section", "Social Ekonomi Fyrbodal")]
    assert [i["kind"] for i in themes.comments_for(remiss, "dialog", section_number=0)] == ["general"]
    assert [i["kind"] for i in themes.comments_for(remiss, "Dialog", section_number=1)] == ["section"]
    assert themes.comments_for(remiss, "Dialog", section_number=2) == []
    assert themes.comments_for(remiss, "Mångfald", sub_region="fyrbodal") == []
    [q] = themes.comments_for(remiss, "Mångfald", sub_region="sjuharad", legal_form="natverk")
    assert q["kind"] == "quote" and q["text"] == "Nej till 1"
    assert themes.comments_for(remiss, "Mångfald", legal_form="-") == []


def test_summary_version_check_keeps_both_writers_texts(remiss, skrivare, other_drafter):
    section = remiss.sections[1]
    assert summaries.get_summary(remiss, section).version == 0
    first = summaries.save_summary(remiss, section, skrivare, 0, "Stöd för avsnittet.")
    assert first.version == 1
    # A second writer who also started from an empty summary does not overwrite it.
    with pytest.raises(summaries.SummaryConflict) as caught:
        summaries.save_summary(remiss, section, other_drafter, 0, "Min egen text.")
    assert caught.value.summary.text == "Stöd för avsnittet."
    second = summaries.save_summary(remiss, section, skrivare, 1, "Stöd för avsnittet, med förbehåll.")
    assert second.version == 2
    with pytest.raises(summaries.SummaryConflict):
        summaries.save_summary(remiss, section, other_drafter, 1, "Gammal grund.")
    assert summaries.get_summary(remiss, section).text == "Stöd för avsnittet, med förbehåll."
    # The overall summary is its own.
    assert summaries.save_summary(remiss, None, skrivare, 0, "Övergripande.").section_id is None
    assert set(summaries.all_summaries(remiss)) == {None, section.id}
    with pytest.raises(RemissError, match="Versionsnumret"):
        summaries.save_summary(remiss, None, skrivare, "x", "…")


def test_outcome_counts_by_legal_form_and_sub_region(remiss, two_answers, skrivare):
    quote = _marked(remiss, two_answers, skrivare)
    review.set_handling(quote, "beaktas_delvis", "Inarbetat i avsnitt 1.")
    data = compilation.outcome(remiss)
    assert data["answered"] == 2 and data["invited_answered"] == 2
    assert data["by_legal_form"] == [("Nätverk/plattform", 2)]
    assert sorted(data["by_sub_region"]) == [("Fyrbodal", 1), ("Sjuhärad", 1)]
    assert data["handled"] == {"beaktas_delvis": 1}


def test_docx_has_title_page_summaries_themes_decisions_and_annex(remiss, two_answers, skrivare):
    quote = _marked(remiss, two_answers, skrivare)
    review.set_handling(quote, "beaktas_inte", "Ligger utanför uppdraget.")
    summaries.save_summary(remiss, None, skrivare, 0, "Ett starkt stöd för förslaget.")
    summaries.save_summary(remiss, remiss.sections[0], skrivare, 0, "Avsnitt 1 fick blandat mottagande.")
    doc = Document(io.BytesIO(build_docx(remiss)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert doc.paragraphs[0].text == "Remissammanställning" and doc.paragraphs[0].style.name == "Title"
    assert "Förslag till överenskommelse" in text and "RS 767-2011" in text
    assert "Social Ekonomi Fyrbodal" in cells and "Nätverk/plattform" in cells and "Sjuhärad" in cells
    assert "Ett starkt stöd för förslaget." in text and "Avsnitt 1 fick blandat mottagande." in text
    assert "Dialog" in cells and "Mångfald" in cells
    assert "Nej till 1" in text and "Beaktas inte" in text and "Ligger utanför uppdraget." in text
    annex = text[text.index("Bilaga: Alla svar"):]
    assert "Vi stöder förslaget." in annex and "Mer mångfald behövs." in annex and "Bra avsnitt. 3" in annex


# --- HTTP ---------------------------------------------------------------------------------------------------

def test_themes_page_charts_and_keyboard_links(client, auth, skrivare, remiss, two_answers):
    _marked(remiss, two_answers, skrivare)
    auth.login_as(skrivare)
    html = client.get(f"/remisser/{remiss.id}/teman").get_data(as_text=True)
    assert 'id="chart-themes"' in html and 'id="chart-themes-region"' in html
    assert f"/remisser/{remiss.id}/teman/kommentarer?tema=Dialog&amp;avsnitt=0" in html
    assert f"/remisser/{remiss.id}/teman/kommentarer?tema=M%C3%A5ngfald&amp;region=sjuharad" in html
    page = client.get(f"/remisser/{remiss.id}/teman/kommentarer?tema=Dialog&avsnitt=1").get_data(as_text=True)
    assert "Bra avsnitt. 1" in page and "Vi stöder förslaget." not in page


def test_themes_pages_are_for_the_drafting_group_only(client, auth, respondent, other_drafter, remiss, submitted):
    auth.login_as(respondent)
    assert client.get(f"/remisser/{remiss.id}/teman").status_code == 403
    auth.logout()
    auth.login_as(other_drafter)
    assert client.get(f"/remisser/{remiss.id}/teman/kommentarer?tema=Dialog").status_code == 403


def test_general_and_quote_themes_over_http(client, auth, skrivare, remiss, submitted, forms, db):
    auth.login_as(skrivare)
    detail = f"/remisser/{remiss.id}/inkomna/{submitted.id}"
    assert forms.post(f"{detail}/teman", {"g-tag": "Långsiktighet"}, page=detail).status_code == 302
    html = client.get(detail).get_data(as_text=True)
    assert "Teman i den allmänna kommentaren" in html and "Långsiktighet" in html
    [mark] = themes.general_marks(submitted)
    [row] = review.section_comments(remiss, remiss.sections[0])
    quote = review.add_quote(row, "Bra avsnitt.", skrivare)
    comp = f"/remisser/{remiss.id}/sammanstallning"
    forms.post(f"/remisser/{remiss.id}/citat/{quote.id}/teman", {f"qt{quote.id}-tag": "Kvalitet"}, page=comp)
    assert [m.tag for m in themes.quote_marks(remiss)[quote.id]] == ["Kvalitet"]
    forms.post(f"/remisser/{remiss.id}/teman/{mark.id}/ta-bort", {}, page=detail)
    db.session.expire_all()
    assert themes.general_marks(submitted) == []


def _autosave(client, url, version, text, token):
    return client.post(url, data=json.dumps({"version": version, "text": text}),
                       headers={"Content-Type": "application/json", "X-CSRFToken": token})


def test_summary_autosave_and_conflict_over_http(client, auth, skrivare, remiss, submitted):
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}/oversikt/avsnitt/2"
    html = client.get(page).get_data(as_text=True)
    assert "Sammanfattning av avsnittet" in html and "remiss-summary.js" in html
    token = csrf_token_from(html)
    url = f"/remisser/{remiss.id}/sammanfattning/2/autospara"
    first = _autosave(client, url, 0, "Första raden.", token)
    assert first.status_code == 200 and first.get_json()["version"] == 1
    clash = _autosave(client, url, 0, "Någon annans rad.", token)
    assert clash.status_code == 409
    assert clash.get_json()["text"] == "Första raden." and clash.get_json()["version"] == 1
    assert _autosave(client, url, 1, "Andra raden.", "fel").get_json()["error"] == "csrf"
    assert _autosave(client, url, 1, "Andra raden.", token).get_json()["version"] == 2
    assert "Andra raden." in client.get(page).get_data(as_text=True)
    assert client.get(f"/remisser/{remiss.id}/sammanstallning").get_data(as_text=True).count("Andra raden.") == 1


def test_summary_form_without_javascript_shows_both_texts_on_conflict(client, auth, skrivare, remiss, forms):
    auth.login_as(skrivare)
    comp = f"/remisser/{remiss.id}/sammanstallning"
    url = f"/remisser/{remiss.id}/sammanfattning/0"
    assert forms.post(url, {"text": "Den sparade.", "version": "0"}, page=comp).status_code == 302
    response = forms.post(url, {"text": "Min text, skriven samtidigt.", "version": "0"}, page=comp)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Den sparade." in html and "Min text, skriven samtidigt." in html and 'value="1"' in html


def test_summary_autosave_without_session_says_so(client, remiss):
    response = _autosave(client, f"/remisser/{remiss.id}/sammanfattning/0/autospara", 0, "x", "")
    assert response.status_code == 401 and response.get_json()["error"] == "login_required"


def test_docx_download(client, auth, skrivare, remiss, submitted, respondent):
    auth.login_as(skrivare)
    html = client.get(f"/remisser/{remiss.id}/sammanstallning").get_data(as_text=True)
    assert "Ladda ner Word-dokument (.docx)" in html
    response = client.get(f"/remisser/{remiss.id}/sammanstallning.docx")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    assert "remissammanstallning-rs-767-2011.docx" in response.headers["Content-Disposition"]
    assert "Social Ekonomi Fyrbodal" in "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    auth.logout()
    auth.login_as(respondent)
    assert client.get(f"/remisser/{remiss.id}/sammanstallning.docx").status_code == 403


def test_outcome_page_only_for_compiled_and_published(client, remiss, two_answers, skrivare, make_remiss):
    quote = _marked(remiss, two_answers, skrivare)
    review.set_handling(quote, "beaktas", "")
    summaries.save_summary(remiss, None, skrivare, 0, "Vi skrev om avsnitt 1.")
    url = f"/remisser/{remiss.id}/vi-gjorde"
    assert client.get(url).status_code == 404            # open
    managing.publish(remiss)
    assert client.get(url).status_code == 404            # published answers, but not compiled
    managing.change_status(remiss, "close")
    managing.change_status(remiss, "compile")
    html = client.get(url).get_data(as_text=True)
    assert "Vi frågade – ni svarade – vi gjorde" in html
    assert "2 organisationer svarade." in html and "Sjuhärad" in html and "Nätverk/plattform" in html
    assert "Dialog" in html and "Vi skrev om avsnitt 1." in html and "Nej till 1" in html and "Beaktas" in html
    listing = client.get("/remisser/").get_data(as_text=True)
    assert url in listing
    draft = make_remiss(status="draft", title="Hemligt utkast")
    assert client.get(f"/remisser/{draft.id}/vi-gjorde").status_code == 404
    assert "Hemligt utkast" not in client.get("/remisser/").get_data(as_text=True)


def test_outcome_page_of_a_compiled_but_unpublished_remiss_is_not_public(client, make_remiss):
    remiss = make_remiss(status="compiled", deadline=utcnow().replace(microsecond=0) + timedelta(days=1))
    assert client.get(f"/remisser/{remiss.id}/vi-gjorde").status_code == 404


def test_outcome_page_in_english(client, remiss, submitted):
    managing.change_status(remiss, "close")
    managing.change_status(remiss, "compile")
    managing.publish(remiss)
    html = client.get(f"/remisser/{remiss.id}/vi-gjorde?lang=en").get_data(as_text=True)
    assert "We asked – you answered – we did" in html
