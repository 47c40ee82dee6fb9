"""The shared Form base: WTForms' own messages read right in Swedish and English."""
import pytest
from flask import session
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length

from core.forms import WTFORMS_MESSAGES, WTFORMS_PLURALS, EmptyForm, Form
from core.models import User


class Sample(Form):
    class Meta:
        csrf = False

    choice = SelectField(choices=[(1, "Ett"), (2, "Två")], coerce=int)
    count = IntegerField()
    name = StringField(validators=[Length(min=3)])


def errors_for(app, data, lang="sv"):
    with app.test_request_context("/", method="POST", data=data):
        session["lang"] = lang
        form = Sample()
        form.validate()
        return form.errors


def test_wtforms_own_messages_are_proper_swedish(app):
    errors = errors_for(app, {"choice": "x", "count": "tre", "name": "ab"})
    assert set(errors["choice"]) == {"Ogiltigt val."}
    assert errors["count"] == ["Inte ett giltigt heltal."]
    assert errors["name"] == ["Skriv minst 3 tecken."]
    assert "coerce" not in str(errors)


def test_and_english_when_english_is_chosen(app):
    errors = errors_for(app, {"choice": "9", "count": "tre", "name": "a"}, lang="en")
    assert set(errors["choice"]) == {"Not a valid choice."}
    assert errors["count"] == ["Not a valid whole number."]
    assert errors["name"] == ["Enter at least 3 characters."]


def test_every_project_form_inherits_the_base():
    seen = set()
    todo = [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            seen.add(sub)
            todo.append(sub)
    names = {f"{c.__module__}.{c.__name__}" for c in seen}
    for expected in ("core.forms.EmptyForm", "core.auth.forms.UserForm", "core.organisations.forms.ImportForm",
                     "dialog.forms.RegistrationForm", "surveys.remiss.forms.RemissForm",
                     "surveys.barometer.forms.StatementForm"):
        assert expected in names
    assert EmptyForm in seen


@pytest.mark.parametrize("msgid", sorted(WTFORMS_MESSAGES))
def test_every_wtforms_message_has_our_words(msgid):
    assert str(WTFORMS_MESSAGES[msgid]) != msgid


def test_a_tampered_role_through_the_user_form_is_refused_in_swedish(client, auth, admin, forms, db):
    auth.login_as(admin)
    response = forms.post("/admin/anvandare/ny", {"email": "ny@test.example", "name": "Ny", "roles": "kung"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&#39;kung&#39; är inte ett giltigt val." in html or "'kung' är inte ett giltigt val." in html
    assert "ny@test.example" in html  # what was typed stays
    assert db.session.query(User).filter_by(email="ny@test.example").count() == 0


@pytest.mark.parametrize("msgid", sorted(WTFORMS_PLURALS))
def test_every_wtforms_plural_has_our_words(app, msgid):
    assert "%(" not in WTFORMS_PLURALS[msgid](2).replace("%(value)s", "")
