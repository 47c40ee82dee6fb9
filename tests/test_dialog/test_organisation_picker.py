"""The organisation picker: typed, filtered by the browser's datalist, matched on the server without JavaScript."""
import re

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from dialog.forms import RegistrationForm
from dialog.models import Registration


def _data(**overrides):
    data = {"name": "Anna Andersson", "email": "anna@example.se", "organisation_id": "", "new_organisation": "",
            "dietary_needs": "", "accessibility_needs": "", "consent": "y"}
    data.update(overrides)
    return data


def _orgs(make_organisation):
    return {name: make_organisation(name) for name in
            ("Social Ekonomi Fyrbodal", "Sociala företag i Skaraborg", "Örebro läns bildningsförbund", "PRO Karlstad")}


def test_exact_name_in_any_case_finds_the_organisation(app, make_organisation):
    orgs = _orgs(make_organisation)
    with app.test_request_context(method="POST", data=_data(organisation_id="  örebro LÄNS  bildningsförbund ")):
        form = RegistrationForm(meta={"csrf": False})
        assert form.validate(), form.errors
        assert form.organisation_id.data == orgs["Örebro läns bildningsförbund"].id
    with app.test_request_context(method="POST", data=_data()):
        form = RegistrationForm(meta={"csrf": False})
        assert form.validate() and form.organisation_id.data == 0


def test_part_of_a_name_gives_the_matches_to_pick_from(app, make_organisation):
    _orgs(make_organisation)
    with app.test_request_context(method="POST", data=_data(organisation_id="social")):
        form = RegistrationForm(meta={"csrf": False})
        assert not form.validate()
        assert [name for _id, name in form.organisation_id.matches] == ["Social Ekonomi Fyrbodal",
                                                                         "Sociala företag i Skaraborg"]
        assert "Ingen organisation heter exakt ”social”" in form.organisation_id.errors[0]
    with app.test_request_context(method="POST", data=_data(organisation_id="Finns Inte")):
        form = RegistrationForm(meta={"csrf": False})
        assert not form.validate() and form.organisation_id.matches == []
        assert "Kontrollera stavningen" in form.organisation_id.errors[0]


def test_organisations_awaiting_review_are_not_offered(app, make_organisation):
    make_organisation("Granskas Förening", needs_review=True)
    make_organisation("Godkänd Förening")
    with app.test_request_context():
        html = str(RegistrationForm().organisation_id())
    assert '<option value="Godkänd Förening">' in html and "Granskas" not in html


def test_register_without_javascript_by_picking_a_match(client, forms, make_meeting, make_organisation, db):
    orgs = _orgs(make_organisation)
    meeting = make_meeting()
    url = f"/moten/{meeting.id}/anmalan"
    page = client.get(url).get_data(as_text=True)
    assert 'list="organisation_id-list"' in page and '<option value="PRO Karlstad">' in page
    assert "<select" not in page.split('id="organisation_id"')[0].rsplit("<label", 1)[-1]
    response = forms.post(url, _data(organisation_id="ekonomi", dietary_needs="Vegan"))
    html = response.get_data(as_text=True)
    assert 'value="ekonomi"' in html and "Vegan" in html  # nothing typed is lost
    assert re.search(r'<input type="radio" name="organisation_id" value="Social Ekonomi Fyrbodal"', html)
    # A browser sends the text box and then the checked radio, both under the field's name.
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    data = MultiDict([*_data(dietary_needs="Vegan").items(), ("csrf_token", token),
                      ("organisation_id", "ekonomi"), ("organisation_id", "Social Ekonomi Fyrbodal")])
    response = client.post(url, data=data)
    assert "Tack för din anmälan" in response.get_data(as_text=True)
    registration = db.session.scalar(sa.select(Registration))
    assert registration.organisation_id == orgs["Social Ekonomi Fyrbodal"].id
