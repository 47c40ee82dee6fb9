"""run_and_redirect and apply_errors: the one POST shape every area's views share."""
import pytest
from flask import get_flashed_messages
from wtforms import StringField

from core.agreements.managing import AgreementErrors
from core.agreements.models import AgreementError
from core.errors import DomainError
from core.forms import Form
from core.models import Organisation
from core.views_util import apply_errors, run_and_redirect


class Sample(Form):
    class Meta:
        csrf = False

    name = StringField()
    reason = StringField()


@pytest.fixture
def post(app):
    def context(data=None, method="POST"):
        return app.test_request_context("/", method=method, data=data or {})
    return context


def test_errors_go_beside_their_fields_and_the_rest_to_the_top(post):
    with post({"name": "Anna"}):
        form = Sample()
        apply_errors(form, AgreementErrors({"name": "Fel namn", "nowhere": "Fel någonstans"}))
        apply_errors(form, AgreementError("Fel anledning", field="reason"))
        apply_errors(form, DomainError("Allmänt fel"))
        assert form.name.errors == ["Fel namn"] and form.reason.errors == ["Fel anledning"]
        assert get_flashed_messages(with_categories=True) == [("error", "Fel någonstans"), ("error", "Allmänt fel")]


def test_a_reason_without_a_field_goes_beside_the_field_named(post):
    with post({"name": "Anna"}):
        form = Sample()
        apply_errors(form, DomainError("Skriv varför"), form.reason)
        apply_errors(form, AgreementError("Fel namn", field="name"), form.reason)
        assert form.reason.errors == ["Skriv varför"] and form.name.errors == ["Fel namn"]
        assert get_flashed_messages() == []


def test_done_says_so_and_goes_where_the_result_says(post):
    with post({"name": "Anna"}):
        form = Sample()
        response = run_and_redirect(lambda: 7, lambda n: f"{n} sparade", lambda n: f"/rad/{n}", form=form,
                                    again=lambda: "sidan igen")
        assert response.status_code == 302 and response.headers["Location"] == "/rad/7"
        assert get_flashed_messages(with_categories=True) == [("success", "7 sparade")]


def test_a_refusal_goes_back_with_the_reason_and_nothing_half_done(post, db):
    with post({"name": "Anna"}):
        def action():
            db.session.add(Organisation(name="Halvgjord"))
            raise DomainError("Det gick inte")

        response = run_and_redirect(action, "Sparat", "/tillbaka", form=Sample())
        assert response.status_code == 302 and response.headers["Location"] == "/tillbaka"
        assert get_flashed_messages(with_categories=True) == [("error", "Det gick inte")]
        assert not db.session.new


def test_with_again_a_refusal_shows_the_form_once_more_with_what_was_typed(post, db):
    with post({"name": "Anna", "reason": "för att"}):
        form = Sample()

        def action():
            db.session.add(Organisation(name="Halvgjord"))
            raise DomainError("Skriv en annan anledning")

        page = run_and_redirect(action, "Sparat", "/klart", form=form, field=form.reason,
                                again=lambda: ("sidan", form.name.data, form.reason.data, form.reason.errors))
        assert page == ("sidan", "Anna", "för att", ["Skriv en annan anledning"])
        assert get_flashed_messages() == [] and not db.session.new


def test_a_refused_form_is_not_sent_to_the_service(post):
    called = []
    with post({}):  # the default form is the CSRF key alone, and none was sent
        response = run_and_redirect(lambda: called.append(1), "Sparat", "/tillbaka", invalid="Sidan var för gammal.")
        assert response.headers["Location"] == "/tillbaka" and called == []
        assert get_flashed_messages(with_categories=True) == [("error", "Sidan var för gammal.")]
    with post({}):
        run_and_redirect(lambda: called.append(1), "Sparat", "/tillbaka",
                         invalid=lambda form: f"{len(form.errors)} fel")
        assert get_flashed_messages() == ["1 fel"] and called == []


def test_a_get_with_again_shows_the_page_and_flashes_nothing(post):
    with post(method="GET"):
        form = Sample()
        assert run_and_redirect(lambda: 1 / 0, "Sparat", "/klart", form=form, invalid="Fel",
                                again=lambda: "sidan") == "sidan"
        assert get_flashed_messages() == []
