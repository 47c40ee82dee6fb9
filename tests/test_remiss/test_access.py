"""Every answer, draft, review and attachment URL tried as another organisation, a stranger, a drafter of
another remiss and an anonymous visitor: 404 or 403 (or the login page), never the content."""
import io
import json

import pytest
from werkzeug.datastructures import FileStorage

from surveys.remiss import managing, review
from surveys.remiss.models import Remiss
from tests.conftest import csrf_token_from
from tests.test_remiss.conftest import PDF

pytestmark = pytest.mark.usefixtures("upload_dir")


@pytest.fixture
def world(remiss, submitted, fyrbodal, respondent, skrivare, db):
    answer_pdf = managing.add_attachment(remiss, FileStorage(io.BytesIO(PDF), "svar.pdf"), respondent,
                                         answer=submitted)
    remiss_pdf = managing.add_attachment(remiss, FileStorage(io.BytesIO(PDF), "underlag.pdf"), skrivare)
    [row] = review.section_comments(remiss, remiss.sections[0])
    quote = review.add_quote(row, "Bra", skrivare)
    tag = review.add_tag(row, "Dialog")
    return {"remiss": remiss, "answer": submitted, "org": fyrbodal, "answer_pdf": answer_pdf,
            "remiss_pdf": remiss_pdf, "row": row, "quote": quote, "tag": tag}


def own_answer_urls(w):
    r, o = w["remiss"].id, w["org"].id
    base = f"/remisser/{r}/svar/{o}"
    return [
        ("GET", base), ("POST", base), ("GET", f"{base}/granska"), ("POST", f"{base}/klar"),
        ("POST", f"{base}/skicka"), ("GET", f"{base}/kvitto/1"), ("POST", f"{base}/avboj"),
        ("POST", f"{base}/bilagor"), ("POST", f"{base}/bilagor/{w['answer_pdf'].id}/ta-bort"),
        ("GET", f"/remisser/{r}/inkomna/{w['answer'].id}"),
        ("GET", f"/remisser/{r}/bilagor/{w['answer_pdf'].id}"),
    ]


def drafter_urls(w):
    r = w["remiss"].id
    row, quote = w["row"].id, w["quote"].id
    return [
        ("GET", f"/remisser/{r}/oversikt"), ("GET", f"/remisser/{r}/oversikt/avsnitt/1"),
        ("GET", f"/remisser/{r}/oversikt/sok?q=bra"), ("POST", f"/remisser/{r}/inkomna/{w['answer'].id}/personuppgifter"),
        ("POST", f"/remisser/{r}/kommentarer/{row}/teman"), ("POST", f"/remisser/{r}/kommentarer/{row}/citat"),
        ("POST", f"/remisser/{r}/kommentarer/{row}/teman/{w['tag'].id}/ta-bort"),
        ("POST", f"/remisser/{r}/citat/{quote}/hantering"), ("POST", f"/remisser/{r}/citat/{quote}/ta-bort"),
        ("GET", f"/remisser/{r}/sammanstallning"), ("GET", f"/remisser/{r}/sammanstallning.xlsx"),
        ("GET", f"/remisser/{r}/sammanstallning.csv"), ("GET", f"/remisser/{r}/instanser"),
        ("POST", f"/remisser/{r}/instanser"), ("POST", f"/remisser/{r}/paminnelser"),
        ("GET", f"/remisser/{r}/underlag"), ("POST", f"/remisser/{r}/underlag/import"),
        ("GET", f"/remisser/{r}/underlag/{w['remiss'].sections[0].id}"),
        ("POST", f"/remisser/{r}/bilagor"), ("POST", f"/remisser/{r}/bilagor/{w['remiss_pdf'].id}/ta-bort"),
        ("GET", f"/remisser/{r}/redigera"), ("POST", f"/remisser/{r}/status/close"),
        ("POST", f"/remisser/{r}/publicera"),
        ("POST", f"/remisser/{r}/instanser/{w['remiss'].bodies[0].id}/forlangning"),
        ("POST", f"/remisser/{r}/instanser/{w['remiss'].bodies[0].id}/ta-bort"),
    ]


def _request(client, method, url):
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    response.close()
    return response


def _assert_refused(response, method, url, allow_login=False):
    if allow_login and response.status_code == 302:
        assert "/login" in response.headers["Location"], (method, url)
        return
    assert response.status_code in (403, 404), (method, url, response.status_code)


@pytest.mark.parametrize("who", ["other_respondent", "stranger", "other_drafter"])
def test_own_answer_urls_refused_to_others(request, client, auth, world, who):
    auth.login_as(request.getfixturevalue(who))
    for method, url in own_answer_urls(world):
        _assert_refused(_request(client, method, url), method, url)


@pytest.mark.parametrize("who", ["respondent", "other_respondent", "stranger", "other_drafter"])
def test_drafter_urls_refused_to_others(request, client, auth, world, who):
    auth.login_as(request.getfixturevalue(who))
    for method, url in drafter_urls(world):
        _assert_refused(_request(client, method, url), method, url)


def test_anonymous_gets_login_or_refusal(client, world):
    for method, url in own_answer_urls(world) + drafter_urls(world):
        _assert_refused(_request(client, method, url), method, url, allow_login=True)


def test_autosave_refused_to_other_organisation(client, auth, world, other_respondent):
    auth.login_as(other_respondent)
    token = client.get("/remisser/csrf-nyckel").get_json()["csrf_token"]
    response = client.post(f"/remisser/{world['remiss'].id}/svar/{world['org'].id}/autospara",
                           data=json.dumps({"version": 1, "fields": {"general_comment": "intrång"}}),
                           headers={"Content-Type": "application/json", "Accept": "application/json",
                                    "X-CSRFToken": token})
    assert response.status_code == 404
    assert world["answer"].general_comment != "intrång"


def test_owner_and_drafting_group_do_get_in(client, auth, world, respondent, skrivare):
    auth.login_as(respondent)
    assert _request(client, "GET", f"/remisser/{world['remiss'].id}/bilagor/{world['answer_pdf'].id}").status_code == 200
    assert _request(client, "GET", f"/remisser/{world['remiss'].id}/inkomna/{world['answer'].id}").status_code == 200
    auth.logout()
    auth.login_as(skrivare)
    for method, url in drafter_urls(world):
        if method == "GET":
            assert _request(client, method, url).status_code == 200, url


def test_remiss_attachment_for_invited_only_until_published(client, auth, world, other_respondent, stranger):
    url = f"/remisser/{world['remiss'].id}/bilagor/{world['remiss_pdf'].id}"
    auth.login_as(other_respondent)  # invited organisation
    assert _request(client, "GET", url).status_code == 200
    auth.logout()
    auth.login_as(stranger)
    assert _request(client, "GET", url).status_code == 404
    assert _request(client, "GET", f"/remisser/{world['remiss'].id}").status_code == 404


def test_public_pages_hidden_until_published_and_answer_pdf_then_public(client, world, db):
    r = world["remiss"]
    assert client.get(f"/remisser/{r.id}/offentligt").status_code == 404
    assert client.get(f"/remisser/{r.id}/offentligt.csv").status_code == 404
    managing.publish(r)
    assert client.get(f"/remisser/{r.id}/offentligt").status_code == 200
    response = client.get(f"/remisser/{r.id}/bilagor/{world['answer_pdf'].id}")
    response.close()
    assert response.status_code == 200


def test_ids_from_another_remiss_are_not_found(client, auth, world, make_remiss, skrivare, other_drafter, db):
    other = make_remiss(sections=[("A", "a")], diarienummer="RS 2")
    other.drafters = [other_drafter]
    db.session.commit()
    auth.login_as(other_drafter)
    assert db.session.get(Remiss, other.id).is_drafter(other_drafter)
    for url in [f"/remisser/{other.id}/inkomna/{world['answer'].id}",
                f"/remisser/{other.id}/bilagor/{world['answer_pdf'].id}"]:
        assert _request(client, "GET", url).status_code == 404, url
    for url in [f"/remisser/{other.id}/kommentarer/{world['row'].id}/citat",
                f"/remisser/{other.id}/citat/{world['quote'].id}/hantering"]:
        assert _request(client, "POST", url).status_code == 404, url


def test_draft_remiss_is_invisible_to_respondents(client, auth, make_remiss, fyrbodal, respondent):
    remiss = make_remiss(status="draft", invite=[fyrbodal])
    auth.login_as(respondent)
    assert client.get(f"/remisser/{remiss.id}").status_code == 404
    assert client.get(f"/remisser/{remiss.id}/svar/{fyrbodal.id}").status_code == 404
