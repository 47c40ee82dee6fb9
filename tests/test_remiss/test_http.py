"""The remiss pages over HTTP with CSRF on: drafting, answering with autosave, submitting, review, exports."""
import io
import json
import re

import sqlalchemy as sa
from openpyxl import load_workbook

from core.demo import seed_core
from core.models import utcnow
from surveys.remiss import answering, managing, review
from surveys.remiss.demo import seed_demo
from surveys.remiss.models import Remiss, RemissAnswer, RemissStatus
from tests.conftest import csrf_token_from
from tests.test_remiss.conftest import PDF, fill


def _token(client, url):
    return csrf_token_from(client.get(url).get_data(as_text=True))


def _answer_url(remiss, org):
    return f"/remisser/{remiss.id}/svar/{org.id}"


def _autosave(client, remiss, org, version, fields, token):
    return client.post(f"{_answer_url(remiss, org)}/autospara", data=json.dumps({"version": version, "fields": fields}),
                       headers={"Content-Type": "application/json", "Accept": "application/json",
                                "X-CSRFToken": token})


def test_drafter_creates_remiss_with_clear_date_error(client, auth, skrivare, forms, db):
    auth.login_as(skrivare)
    data = {"title": "Ny remiss", "diarienummer": "RS 1-2026", "description": "Om <b>allt</b>",
            "opens_at": "2026-03-01T09:00", "deadline": "2026-02-01T16:00", "drafters": [str(skrivare.id)]}
    response = forms.post("/remisser/ny", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Svarsdatum måste vara efter öppningsdatum." in html
    assert 'value="Ny remiss"' in html  # typed values kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Remiss)) == 0
    data["deadline"] = "2026-04-01T16:00"
    response = forms.post("/remisser/ny", data)
    assert response.status_code == 302
    remiss = db.session.scalar(sa.select(Remiss))
    # 16:00 in Stockholm (summer time, UTC+2) is stored as 14:00 UTC
    assert remiss.deadline.hour == 14 and remiss.is_drafter(skrivare)


def test_sections_page_adds_and_imports(client, auth, skrivare, make_remiss, forms, db):
    remiss = make_remiss(status="draft", sections=[])
    auth.login_as(skrivare)
    url = f"/remisser/{remiss.id}/underlag"
    response = forms.post(url, {"new-heading": "", "new-text": "Text utan rubrik"})
    assert "Avsnittet måste ha en rubrik." in response.get_data(as_text=True)
    assert "Text utan rubrik" in response.get_data(as_text=True)
    assert forms.post(url, {"new-heading": "Dialog", "new-text": "**Viktigt**"}).status_code == 302
    token = _token(client, url)
    response = client.post(f"{url}/import", data={
        "csrf_token": token, "imp-replace": "y",
        "imp-file": (io.BytesIO(b"Ingen rubrik alls"), "utkast.txt")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Filen har inga rubriker" in response.get_data(as_text=True)
    response = client.post(f"{url}/import", data={
        "csrf_token": token, "imp-replace": "y",
        "imp-file": (io.BytesIO("# Ett\nA\n# Två\nB\n".encode()), "utkast.md")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "2 avsnitt importerades" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [s.heading for s in db.session.get(Remiss, remiss.id).sections] == ["Ett", "Två"]


def test_section_markdown_is_sanitised(client, auth, skrivare, make_remiss):
    remiss = make_remiss(sections=[("Rubrik", "<script>alert(1)</script> [länk](javascript:alert(1)) **fet**")])
    auth.login_as(skrivare)
    html = client.get(f"/remisser/{remiss.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert "<strong>fet</strong>" in html


def test_respondent_answers_autosaves_and_submits(client, auth, remiss, fyrbodal, respondent, outbox, db):
    auth.login_as(respondent)
    page = client.get(_answer_url(remiss, fyrbodal))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Om dialog." in html and 'data-autosave-url' in html
    token = csrf_token_from(html)
    section = remiss.sections[0]
    answer = db.session.scalar(sa.select(RemissAnswer))
    response = _autosave(client, remiss, fyrbodal, answer.version, {
        "position": "tillstyrker_delvis", "general_comment": "<b>Vi</b> stöder",
        "sections": {str(section.id): {"comment": "Mer dialog", "position": "avstyrker"}}}, token)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["ok"] and body["version"] == answer.version + 1 and re.fullmatch(r"\d\d:\d\d", body["saved_at"])
    review_page = client.get(f"{_answer_url(remiss, fyrbodal)}/granska").get_data(as_text=True)
    assert "&lt;b&gt;Vi&lt;/b&gt; stöder" in review_page and "Mer dialog" in review_page
    response = client.post(f"{_answer_url(remiss, fyrbodal)}/skicka",
                           data={"csrf_token": token, "version": body["version"]})
    assert response.status_code == 302 and "/kvitto/1" in response.headers["Location"]
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kvitto på remissvar" in receipt and "Mer dialog" in receipt
    assert any("Kvitto" in m["Subject"] for m in outbox)
    db.session.expire_all()
    assert db.session.scalar(sa.select(RemissAnswer)).final_position == "tillstyrker_delvis"


def test_form_post_without_javascript_saves_all_fields(client, auth, remiss, fyrbodal, respondent, forms, db):
    auth.login_as(respondent)
    url = _answer_url(remiss, fyrbodal)
    client.get(url)
    answer = db.session.scalar(sa.select(RemissAnswer))
    s = remiss.sections[1]
    response = forms.post(url, {"version": answer.version, "position": "avstyrker", "general_comment": "Nej",
                                f"s-{s.id}-comment": "Långt", "next": "review"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/granska")
    db.session.expire_all()
    answer = db.session.scalar(sa.select(RemissAnswer))
    assert answer.position == "avstyrker" and answering.section_answers_by_section(answer)[s.id].comment == "Långt"


def test_autosave_without_session_is_json_401(client, remiss, fyrbodal):
    response = _autosave(client, remiss, fyrbodal, 1, {"general_comment": "text"}, "whatever")
    assert response.status_code == 401
    assert response.get_json()["error"] == "login_required"
    assert "Location" not in response.headers
    assert client.get("/remisser/csrf-nyckel").get_json() == {"logged_in": False, "csrf_token": None}


def test_autosave_with_stale_csrf_is_json_400_then_fresh_token_works(client, auth, remiss, fyrbodal, respondent):
    auth.login_as(respondent)
    client.get(_answer_url(remiss, fyrbodal))
    response = _autosave(client, remiss, fyrbodal, 1, {"general_comment": "text"}, "stale-token")
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"
    fresh = client.get("/remisser/csrf-nyckel").get_json()["csrf_token"]
    assert _autosave(client, remiss, fyrbodal, 1, {"general_comment": "text"}, fresh).status_code == 200


def test_autosave_conflict_returns_both_and_overwrites_nothing(client, auth, remiss, fyrbodal, respondent,
                                                               make_user, db):
    colleague = make_user("kollega@test.example", organisations=[fyrbodal])
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    start = answer.version
    answering.save_draft(answer, colleague, start, {"general_comment": "Kollegans text"})
    auth.login_as(respondent)
    token = _token(client, _answer_url(remiss, fyrbodal))
    response = _autosave(client, remiss, fyrbodal, start, {"general_comment": "Min text"}, token)
    assert response.status_code == 409
    data = response.get_json()
    assert data["current"]["general_comment"] == "Kollegans text" and data["version"] == start + 1
    db.session.expire_all()
    assert db.session.get(RemissAnswer, answer.id).general_comment == "Kollegans text"


def test_conflict_on_plain_form_shows_both_texts(client, auth, remiss, fyrbodal, respondent, make_user, forms):
    colleague = make_user("kollega@test.example", organisations=[fyrbodal])
    answer = answering.get_or_start_answer(remiss, fyrbodal.id, respondent)
    start = answer.version
    answering.save_draft(answer, colleague, start, {"general_comment": "Kollegans text"})
    auth.login_as(respondent)
    response = forms.post(_answer_url(remiss, fyrbodal), {"version": start, "general_comment": "Min text"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Min text" in html and "Kollegans text" in html


def test_after_deadline_answering_is_closed(client, auth, remiss, fyrbodal, respondent, db):
    remiss.deadline = utcnow().replace(year=2000)
    remiss.opens_at = remiss.deadline.replace(year=1999)
    db.session.commit()
    auth.login_as(respondent)
    html = client.get(_answer_url(remiss, fyrbodal)).get_data(as_text=True)
    assert "svarsdatum har passerat" in html
    token = csrf_token_from(html)
    response = _autosave(client, remiss, fyrbodal, 1, {"general_comment": "sent"}, token)
    assert response.status_code == 422


def test_answer_attachment_upload_and_download_headers(client, auth, remiss, fyrbodal, respondent):
    auth.login_as(respondent)
    url = _answer_url(remiss, fyrbodal)
    token = _token(client, url)
    bad = client.post(f"{url}/bilagor", data={"csrf_token": token, "att-file": (io.BytesIO(b"<html>"), "x.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "Filen är inte en PDF" in bad.get_data(as_text=True)
    client.post(f"{url}/bilagor", data={"csrf_token": token, "att-file": (io.BytesIO(PDF), "Yttrande.pdf")},
                content_type="multipart/form-data")
    html = client.get(url).get_data(as_text=True)
    link = re.search(r'href="(/remisser/\d+/bilagor/\d+)"', html).group(1)
    response = client.get(link)
    data = response.data
    response.close()
    assert response.status_code == 200 and data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_drafter_dashboard_section_view_search_and_exports(client, auth, skrivare, remiss, submitted, db):
    auth.login_as(skrivare)
    dash = client.get(f"/remisser/{remiss.id}/oversikt")
    html = dash.get_data(as_text=True)
    assert dash.status_code == 200 and "Social Ekonomi Fyrbodal" in html and "50 %" in html
    assert 'data-plotly-for="chart-overall"' in html
    section = client.get(f"/remisser/{remiss.id}/oversikt/avsnitt/1").get_data(as_text=True)
    assert "Om dialog." in section and "Bra avsnitt. 1" in section
    search = client.get(f"/remisser/{remiss.id}/oversikt/sok?q=bra").get_data(as_text=True)
    assert "<mark>Bra</mark>" in search
    xlsx = client.get(f"/remisser/{remiss.id}/sammanstallning.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.data))
    assert wb["Svar"]["A2"].value == "Social Ekonomi Fyrbodal"
    assert [c.value for c in wb["Per avsnitt"]["E"]][1:] == ["Bra avsnitt. 1", "Bra avsnitt. 2", "Bra avsnitt. 3"]
    csv = client.get(f"/remisser/{remiss.id}/sammanstallning.csv").data.decode("utf-8-sig")
    assert "Bra avsnitt. 2" in csv and csv.count("\r\n") == 5
    comp = client.get(f"/remisser/{remiss.id}/sammanstallning").get_data(as_text=True)
    assert "Remissammanställning" in comp and "Social Ekonomi Sjuhärad" in comp


def test_tag_quote_and_handling_over_http(client, auth, skrivare, remiss, submitted, forms, db):
    auth.login_as(skrivare)
    [row] = review.section_comments(remiss, remiss.sections[0])
    page = f"/remisser/{remiss.id}/oversikt/avsnitt/1"
    forms.post(f"/remisser/{remiss.id}/kommentarer/{row.id}/teman", {f"t{row.id}-tag": "Dialog"}, page=page)
    forms.post(f"/remisser/{remiss.id}/kommentarer/{row.id}/citat", {f"q{row.id}-text": "Bra avsnitt."}, page=page)
    db.session.expire_all()
    row = review.section_comments(remiss, remiss.sections[0])[0]
    assert [t.tag for t in row.tags] == ["Dialog"] and row.quotes[0].text == "Bra avsnitt."
    quote = row.quotes[0]
    comp = f"/remisser/{remiss.id}/sammanstallning"
    forms.post(f"/remisser/{remiss.id}/citat/{quote.id}/hantering",
               {f"h{quote.id}-handling": "beaktas", f"h{quote.id}-reason": ""}, page=comp)
    html = client.get(comp).get_data(as_text=True)
    assert "Bra avsnitt." in html and "Social Ekonomi Fyrbodal" in html
    db.session.expire_all()
    assert row.quotes[0].handling == "beaktas"


def test_publishing_and_personal_data_review(client, auth, skrivare, remiss, submitted, forms, db, fyrbodal,
                                             other_respondent, other_org):
    other = answering.get_or_start_answer(remiss, other_org.id, other_respondent)
    fill(other, other_respondent, comment="Innehåller namn på Kalle")
    answering.save_draft(other, other_respondent, other.version, {"contains_personal_data": True})
    answering.submit(other, other_respondent)
    assert client.get(f"/remisser/{remiss.id}/offentligt").status_code == 404
    auth.login_as(skrivare)
    forms.post(f"/remisser/{remiss.id}/publicera", {}, page=f"/remisser/{remiss.id}")
    auth.logout()
    html = client.get(f"/remisser/{remiss.id}/offentligt").get_data(as_text=True)
    assert "Vi stöder förslaget." in html and "Kalle" not in html
    csv = client.get(f"/remisser/{remiss.id}/offentligt.csv").data.decode("utf-8-sig")
    assert "Social Ekonomi Fyrbodal" in csv and "Kalle" not in csv
    auth.login_as(skrivare)
    forms.post(f"/remisser/{remiss.id}/inkomna/{other.id}/personuppgifter", {},
               page=f"/remisser/{remiss.id}/inkomna/{other.id}")
    auth.logout()
    assert "Kalle" in client.get(f"/remisser/{remiss.id}/offentligt").get_data(as_text=True)


def test_status_buttons(client, auth, skrivare, make_remiss, forms, db, fyrbodal, outbox):
    remiss = make_remiss(status="draft", invite=[fyrbodal])
    fyrbodal.contact_email = "fyrbodal@example.se"
    db.session.commit()
    auth.login_as(skrivare)
    page = f"/remisser/{remiss.id}"
    response = forms.post(f"/remisser/{remiss.id}/status/compile", {}, page=page, follow_redirects=True)
    assert "kan inte gå från" in response.get_data(as_text=True)
    forms.post(f"/remisser/{remiss.id}/status/open", {}, page=page)
    db.session.expire_all()
    assert db.session.get(Remiss, remiss.id).status == RemissStatus.OPEN
    assert outbox and "/remisser/inbjudan/" in outbox[-1].get_content()


def test_invitation_link_marks_opened(client, make_remiss, make_organisation, outbox, auth, make_user, db):
    org = make_organisation("Förening L", contact_email="l@example.se")
    remiss = make_remiss(invite=[org])
    link = re.search(r"(/remisser/inbjudan/\S+)", outbox[-1].get_content()).group(1)
    html = client.get(link).get_data(as_text=True)
    assert "Skapa ett konto och svara" in html  # nobody from the organisation has an account yet
    db.session.expire_all()
    assert remiss.bodies[0].status == "opened" and remiss.bodies[0].opened_at is not None
    member = make_user("m@example.se", organisations=[org])
    auth.login_as(member)
    response = client.get(link)
    assert response.status_code == 302 and f"/svar/{org.id}" in response.headers["Location"]
    gone = client.get("/remisser/inbjudan/fel-token")
    assert gone.status_code == 404 and "Länken gäller inte längre" in gone.get_data(as_text=True)


def test_bodies_page_filters_invites_and_extends(client, auth, skrivare, remiss, make_organisation, forms, db):
    make_organisation("Skaraborgs förening", sub_region="skaraborg")
    make_organisation("Stiftelsen Fyrbodal", legal_form="stiftelse", sub_region="fyrbodal")
    auth.login_as(skrivare)
    html = client.get(f"/remisser/{remiss.id}/instanser?sub_region=skaraborg").get_data(as_text=True)
    assert "Skaraborgs förening" in html and "Stiftelsen Fyrbodal" not in html
    response = forms.post(f"/remisser/{remiss.id}/instanser", {"emails": "x@y.se\nnope"})
    assert "ingen giltig e-postadress" in response.get_data(as_text=True)
    body = remiss.bodies[0]
    page = f"/remisser/{remiss.id}/instanser"
    response = forms.post(f"/remisser/{remiss.id}/instanser/{body.id}/forlangning", {"until": "2000-01-01T10:00"},
                          page=page, follow_redirects=True)
    assert "Förlängningen måste gå ut efter" in response.get_data(as_text=True)


def test_home_section_lists_open_remiss(client, auth, respondent, remiss):
    auth.login_as(respondent)
    html = client.get("/").get_data(as_text=True)
    assert "Remisser att svara på" in html and remiss.title in html
    assert "Remisser" in client.get("/remisser/").get_data(as_text=True)


def test_pages_have_no_inline_script(client, auth, respondent, remiss, fyrbodal):
    auth.login_as(respondent)
    html = client.get(_answer_url(remiss, fyrbodal)).get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag


def test_demo_seeder_is_idempotent(app, db, runner):
    seed_core()
    seed_demo()
    seed_demo()
    remisses = db.session.scalars(sa.select(Remiss)).all()
    assert len(remisses) == 1
    remiss = remisses[0]
    assert remiss.status == "open" and remiss.deadline > utcnow() and len(remiss.sections) == 14
    assert {b.organisation.name for b in remiss.bodies} >= {"Social Ekonomi Fyrbodal"}
    assert len(remiss.bodies) == 4
    assert review.body_counts(remiss)["answered_invited"] == 2
    assert [u.email for u in remiss.drafters] == ["skrivargrupp@samrad.example"]


def test_autosave_is_rate_limited(client, auth, remiss, fyrbodal, respondent, app, monkeypatch):
    monkeypatch.setitem(app.config, "REMISS_AUTOSAVE_LIMIT", "2 per minute")
    auth.login_as(respondent)
    token = _token(client, _answer_url(remiss, fyrbodal))
    answer_version = 1
    statuses = []
    for _ in range(3):
        response = _autosave(client, remiss, fyrbodal, answer_version, {"general_comment": "x"}, token)
        statuses.append(response.status_code)
        if response.status_code == 200:
            answer_version = response.get_json()["version"]
    assert statuses == [200, 200, 429]
    assert response.get_json()["error"] == "rate_limited"


def test_editor_in_english(client, auth, remiss, fyrbodal, respondent):
    auth.login_as(respondent)
    html = client.get(f"{_answer_url(remiss, fyrbodal)}?lang=en").get_data(as_text=True)
    assert "Comment on section 1" in html and "Saved at %s" in html


def test_compiled_public_page_traces_points(client, remiss, submitted, skrivare, db):
    [row] = review.section_comments(remiss, remiss.sections[0])
    quote = review.add_quote(row, "Bra avsnitt.", skrivare)
    review.set_handling(quote, "beaktas_inte", "Ligger utanför uppdraget.")
    managing.change_status(remiss, "close")
    managing.change_status(remiss, "compile")
    managing.publish(remiss)
    html = client.get(f"/remisser/{remiss.id}/offentligt").get_data(as_text=True)
    assert "Så hanterades synpunkterna" in html and "Beaktas inte" in html and "Ligger utanför uppdraget." in html
