"""Open participation: open remisses listed for everyone, and organisations that were not invited registering."""
import pytest
import sqlalchemy as sa

from core.models import Organisation, User
from surveys.remiss import answering, registering, review
from surveys.remiss.claiming import ClaimError, ClaimErrors
from surveys.remiss.models import InvitedBody

PASSWORD_NEW = "ett långt lösenord 42"


def _register(remiss, **fields):
    values = {"name": "Nina Ny", "email": "nina@ny.example", "password": PASSWORD_NEW,
              "org_name": "Föreningen Nytt Hopp", "org_number": "", "legal_form": "forening",
              "sub_region": "fyrbodal"}
    values.update(fields)
    return registering.register(remiss, **values)


def test_open_remisses_are_listed_but_not_drafts_or_closed(make_remiss):
    open_one = make_remiss(title="Öppen")
    make_remiss(status="draft", title="Utkast")
    make_remiss(status="closed", title="Stängd")
    assert [r.title for r in registering.open_remisses()] == [open_one.title]


def test_register_creates_organisation_waiting_for_review(make_remiss, db):
    remiss = make_remiss(allow_uninvited=True)
    user, org = _register(remiss)
    assert org.needs_review and user.organisation_ids == {org.id}
    body = db.session.scalar(sa.select(InvitedBody).where(InvitedBody.organisation_id == org.id))
    assert body.remiss_id == remiss.id and body.invited is False
    assert registering.awaits_review(org)


def test_register_refused_where_only_invited_may_answer(remiss):
    with pytest.raises(ClaimError, match="inte är inbjudna"):
        _register(remiss)


@pytest.mark.parametrize("fields", [{"org_name": "social  ekonomi FYRBODAL"}, {"org_number": "8024735832"}])
def test_never_attached_to_existing_organisation(make_remiss, respondent, fields, db):
    remiss = make_remiss(allow_uninvited=True)
    with pytest.raises(ClaimError, match="finns redan i Samråd.*lägga till dig") as exc:
        _register(remiss, **fields)
    assert exc.value.field == "org_name"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == "nina@ny.example")) == 0


def test_register_refuses_existing_account_and_bad_fields(make_remiss, respondent):
    remiss = make_remiss(allow_uninvited=True)
    with pytest.raises(ClaimError, match="Det finns redan ett konto"):
        _register(remiss, email=respondent.email.upper())
    with pytest.raises(ClaimErrors) as exc:
        _register(remiss, org_name="  ", org_number="123")
    assert set(exc.value.errors) == {"org_name", "org_number"}


def test_pending_organisation_answer_is_counted_apart(make_remiss, db):
    remiss = make_remiss(allow_uninvited=True)
    user, org = _register(remiss)
    answer = answering.get_or_start_answer(remiss, org.id, user)
    answering.save_draft(answer, user, answer.version, {"position": "tillstyrker", "general_comment": "Ja",
                                                        "sections": {}})
    answering.submit(answer, user)
    counts = review.body_counts(remiss)
    assert counts["answered_uninvited"] == 0 and counts["answered_awaiting_review"] == 1
    [row] = review.submitted_answers_overview(remiss)
    assert row["awaits_review"]
    org.needs_review = False  # an administrator reviewed it
    db.session.commit()
    counts = review.body_counts(remiss)
    assert counts["answered_uninvited"] == 1 and counts["answered_awaiting_review"] == 0


def test_public_list_page_and_register_over_http(client, make_remiss, forms, db):
    remiss = make_remiss(allow_uninvited=True, title="Öppen för alla")
    closed_to_uninvited = make_remiss(title="Bara inbjudna")
    index = client.get("/remisser/").get_data(as_text=True)
    assert "Öppna remisser" in index and "Öppen för alla" in index and "Bara inbjudna" in index
    assert client.get(f"/remisser/{remiss.id}").headers["Location"].endswith(f"/remisser/{remiss.id}/oppen")
    page = client.get(f"/remisser/{remiss.id}/oppen").get_data(as_text=True)
    assert "Om dialog." in page and "Registrera organisationen och svara" in page
    assert "Registrera" not in client.get(f"/remisser/{closed_to_uninvited.id}/oppen").get_data(as_text=True)
    assert client.get(f"/remisser/{closed_to_uninvited.id}/registrera").status_code == 404
    url = f"/remisser/{remiss.id}/registrera"
    data = {"org_name": "Föreningen Nytt Hopp", "org_number": "", "legal_form": "forening", "sub_region": "",
            "name": "Nina Ny", "email": "nina@ny.example", "password": PASSWORD_NEW, "confirm": "fel"}
    response = forms.post(url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Lösenorden är inte lika." in html
    assert 'value="Föreningen Nytt Hopp"' in html  # typed text kept
    data["confirm"] = PASSWORD_NEW
    response = forms.post(url, data)
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Föreningen Nytt Hopp"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/svar/{org.id}")
    assert client.get(response.headers["Location"]).status_code == 200  # logged in, answering


def test_register_with_existing_name_is_refused_over_http(client, make_remiss, respondent, forms):
    remiss = make_remiss(allow_uninvited=True)
    data = {"org_name": "Social Ekonomi Fyrbodal", "org_number": "", "legal_form": "forening", "sub_region": "",
            "name": "Nina Ny", "email": "nina@ny.example", "password": PASSWORD_NEW, "confirm": PASSWORD_NEW}
    response = forms.post(f"/remisser/{remiss.id}/registrera", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "finns redan i Samråd" in html and 'value="Nina Ny"' in html


def test_register_is_rate_limited(app, client, make_remiss, forms, monkeypatch):
    monkeypatch.setitem(app.config, "REMISS_REGISTER_LIMIT", "2 per minute")
    remiss = make_remiss(allow_uninvited=True)
    url = f"/remisser/{remiss.id}/registrera"
    statuses = [forms.post(url, {"org_name": ""}).status_code for _ in range(3)]
    assert statuses[-1] == 429
