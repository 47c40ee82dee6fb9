"""Issue 9: mailed links from BASE_URL only, trusted hosts, login throttling and timing."""
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app import create_app
from core.auth import services, throttle
from core.config import ConfigError, check_production, cli_base_url, normalise_database_url, trusted_hosts
from core.extensions import db
from core.mail import external_url
from core.models import LoginThrottle
from tests.conftest import PASSWORD, csrf_token_from

# --- item 2: mailed links and the Host header ------------------------------------------------------------------


def _request_reset(client, email, host):
    """Ask for a reset the way a browser at `host` would: the form, then the post, both to that host."""
    page = client.get("/glomt-losenord", headers={"Host": host})
    if page.status_code != 200:
        return page
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post("/glomt-losenord", data={"email": email, "csrf_token": token}, headers={"Host": host})


def test_reset_requested_for_an_unknown_host_is_refused(client, admin, outbox):
    response = _request_reset(client, admin.email, "evil.example")
    assert response.status_code == 400
    assert not any("evil.example" in m.get_content() for m in outbox)
    assert outbox == []


def test_mailed_reset_link_points_at_base_url_whatever_the_host(app, client, admin, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://samrad.example.se")
    response = _request_reset(client, admin.email, "127.0.0.1")
    assert response.status_code == 200
    text = outbox[-1].get_content()
    assert re.search(r"https://samrad\.example\.se/aterstall/\S+", text)
    assert "127.0.0.1" not in text and "localhost" not in text


def test_external_url_works_outside_a_request_and_keeps_a_path_prefix(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://example.org/samrad")
    with app.app_context():
        assert external_url("auth.reset_password", token="abc") == "https://example.org/samrad/aterstall/abc"


def test_external_url_defaults_to_the_local_server_in_development(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", None)
    assert external_url("auth.login").startswith("http://127.0.0.1:5000/login")


def test_trusted_hosts_default_from_base_url():
    assert trusted_hosts({"BASE_URL": "https://samrad.example.se:8443", "SAMRAD_ENV": "production"}) == [
        "samrad.example.se"]
    dev = trusted_hosts({"BASE_URL": None, "SAMRAD_ENV": "development"})
    assert {"localhost", "127.0.0.1"} <= set(dev)
    assert trusted_hosts({"BASE_URL": "https://a.se", "TRUSTED_HOSTS": ["a.se", "b.se"]}) == ["a.se", "b.se"]


def test_production_needs_base_url():
    with pytest.raises(ConfigError, match="BASE_URL"):
        check_production({"SAMRAD_ENV": "production", "SECRET_KEY": "k" * 48, "BASE_URL": None})
    check_production({"SAMRAD_ENV": "production", "SECRET_KEY": "k" * 48, "BASE_URL": "https://samrad.example.se"})


def test_production_app_refuses_other_hosts(monkeypatch, database_url):
    monkeypatch.setenv("SAMRAD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("BASE_URL", "https://samrad.example.se")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "RATELIMIT_STORAGE_URI": "memory://"})
    client = app.test_client()
    assert client.get("/healthz", base_url="https://samrad.example.se").status_code == 200
    assert client.get("/healthz", base_url="https://evil.example").status_code == 400
    assert client.get("/healthz", base_url="http://localhost").status_code == 400
    with app.app_context():
        db.engine.dispose()  # a second app on the test database: leave no connection behind


# --- items 3 and 4: throttling per (address, source), same answer for everyone, no timing difference -----------

def _login(forms, email, password, ip):
    response = forms.post("/login", {"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})
    html = response.get_data(as_text=True)
    alert = re.search(r'<div class="alert alert-error" role="alert">([^<]*)</div>', html)
    return response.status_code, alert.group(1) if alert else None


def test_failures_from_one_source_do_not_lock_the_owner_out(app, forms, admin):
    limit = app.config["LOGIN_MAX_FAILURES"]
    answers = [_login(forms, admin.email, "fel", "203.0.113.9") for _ in range(limit)]
    assert answers[-1][0] == 429 and "15 minuter" in answers[-1][1]
    # That source now waits, even with the right password...
    assert _login(forms, admin.email, PASSWORD, "203.0.113.9")[0] == 429
    # ...while the owner at another address logs in as usual.
    assert forms.post("/login", {"email": admin.email, "password": PASSWORD},
                      environ_base={"REMOTE_ADDR": "198.51.100.4"}).status_code == 302


def test_known_and_unknown_addresses_get_the_same_answers(app, forms, admin):
    limit = app.config["LOGIN_MAX_FAILURES"]
    known = [_login(forms, admin.email, "fel", "203.0.113.10") for _ in range(limit + 1)]
    unknown = [_login(forms, "finns-inte@test.example", "fel", "203.0.113.11") for _ in range(limit + 1)]
    assert known == unknown
    assert known[0] == (401, "Fel e-postadress eller lösenord.")


def test_owner_is_told_by_mail_once_per_window(app, forms, admin, outbox):
    limit = app.config["LOGIN_MAX_FAILURES"]
    for ip in ("203.0.113.20", "203.0.113.21"):
        for _ in range(limit + 2):
            _login(forms, admin.email, "fel", ip)
    warnings = [m for m in outbox if m["To"] == admin.email]
    assert len(warnings) == 1
    text = warnings[0].get_content()
    assert "203.0.113.20" in text and "http://localhost/glomt-losenord" in text
    for _ in range(limit):
        _login(forms, "finns-inte@test.example", "fel", "203.0.113.22")
    assert len(outbox) == 1


def test_the_wait_ends_after_the_window(app, admin):
    limit = app.config["LOGIN_MAX_FAILURES"]
    now = datetime(2026, 12, 1, 12, 0)
    for _ in range(limit):
        throttle.record_failure(admin.email, "203.0.113.30", admin, now)
    assert throttle.minutes_left(admin.email, "203.0.113.30", now) == 15
    assert throttle.minutes_left(admin.email, "203.0.113.30", now + timedelta(minutes=15, seconds=1)) == 0


def test_unknown_address_is_checked_against_a_dummy_hash(app, monkeypatch):
    calls = []

    def spy(stored, password):
        calls.append(stored)
        return False

    monkeypatch.setattr(services, "check_password_hash", spy)
    with pytest.raises(services.AuthError):
        services.authenticate("finns-inte@test.example", "gissning", source="203.0.113.40")
    assert calls == [services.DUMMY_PASSWORD_HASH]
    assert services.DUMMY_PASSWORD_HASH.startswith("scrypt:")


def test_old_throttle_rows_are_forgotten(app, db, admin):
    long_ago = datetime(2026, 1, 1, 12, 0)
    throttle.record_failure("gammal@test.example", "203.0.113.50", None, long_ago)
    throttle.record_failure(admin.email, "203.0.113.51", admin, long_ago + timedelta(days=30))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle)) == 1


def test_cli_base_url_rules():
    assert cli_base_url({"BASE_URL": "https://samrad.example.se", "SAMRAD_ENV": "production"}) == (
        "https://samrad.example.se", None)
    url, warning = cli_base_url({"BASE_URL": None, "SAMRAD_ENV": "development"})
    assert url == "http://127.0.0.1:5000" and "BASE_URL" in warning and "Varning" in warning
    with pytest.raises(ConfigError, match="BASE_URL saknas") as caught:
        cli_base_url({"BASE_URL": None, "SAMRAD_ENV": "production"})
    assert "\n" not in str(caught.value) and "BASE_URL is not set" in str(caught.value)
    with pytest.raises(ConfigError, match="https://"):
        cli_base_url({"BASE_URL": "samrad.example.se", "SAMRAD_ENV": "production"})
