"""One error shape: the status table, DomainError reaching the app, and the one error page."""
import pytest
from flask_wtf.csrf import CSRFError

from app import create_app
from core.auth.services import AuthError
from core.config import normalise_database_url
from core.errors import ERRORS, DomainError, error_response, json_error
from core.organisations.importing import ImportFileError
from core.organisations.services import OrganisationError, OrganisationErrors
from core.uploads import UnsafeArchive


class Refused(DomainError):
    code = "refused"
    status = 409


@pytest.fixture(scope="module")
def refusing_client(database_url):
    """An app of its own with views that raise (routes cannot be added to the shared app once it served)."""
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "RATELIMIT_STORAGE_URI": "memory://"})

    @app.route("/refused")
    def refused():
        raise Refused("Mötet är redan stängt.")

    @app.route("/api/v1/refused")
    def refused_api():
        raise Refused("Mötet är redan stängt.", meeting=7)

    return app.test_client()


@pytest.mark.parametrize("error", [AuthError, OrganisationError, OrganisationErrors, ImportFileError,
                                   UnsafeArchive])
def test_core_errors_are_domain_errors(error):
    assert issubclass(error, DomainError) and issubclass(error, ValueError)
    assert not issubclass(CSRFError, DomainError)


def test_organisation_errors_keep_their_fields():
    err = OrganisationErrors({"name": "Skriv organisationens namn."})
    assert err.errors == {"name": "Skriv organisationens namn."}
    assert err.to_json() == ({"error": "invalid", "message": "name: Skriv organisationens namn.",
                              "errors": {"name": "Skriv organisationens namn."}}, 400)
    assert OrganisationError("Fel nummer", "org_number").field == "org_number"


def test_json_error_shape():
    assert json_error(404, "not_found", "Finns inte") == ({"error": "not_found", "message": "Finns inte"}, 404)


def test_unhandled_domain_error_is_a_page_with_its_message_and_status(refusing_client):
    response = refusing_client.get("/refused")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Mötet är redan stängt." in html and 'href="/"' in html


def test_unhandled_domain_error_is_json_for_the_api(refusing_client):
    response = refusing_client.get("/api/v1/refused")
    assert response.status_code == 409
    assert response.get_json() == {"error": "refused", "message": "Mötet är redan stängt.", "meeting": 7}


@pytest.mark.parametrize("status", sorted(ERRORS))
def test_every_status_in_the_table_has_a_page_and_json(app, status):
    code, title, _text, short = ERRORS[status]
    body, answered = error_response(status)
    assert answered == status and str(title) in body
    with app.test_request_context("/api/v1/x"):
        assert error_response(status) == ({"error": code, "message": str(short)}, status)


def test_error_pages_are_english_when_chosen(client, forms):
    forms.post("/sprak/en", {"next": "/"}, page="/")
    response = client.get("/finns-inte")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_not_found_json_when_asked_for(client):
    response = client.get("/finns-inte", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
