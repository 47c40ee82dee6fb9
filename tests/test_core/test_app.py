"""The factory, configuration, headers, health check and error pages."""
import re

import pytest
import sqlalchemy as sa
from flask import request, url_for

from app import create_app
from core.config import ConfigError, check_production, normalise_database_url
from core.models import Organisation, User


def test_production_refuses_default_secret_key(monkeypatch):
    monkeypatch.setenv("SAMRAD_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app()


def test_production_runs_with_a_real_secret_key(monkeypatch, database_url):
    monkeypatch.setenv("SAMRAD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("BASE_URL", "https://samrad.example.se")
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "RATELIMIT_STORAGE_URI": "memory://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_a_production_app_freezes_what_it_loaded_for_the_cycle_collector(monkeypatch, database_url):
    frozen = []
    monkeypatch.setattr("core.gc_freeze.gc.freeze", lambda: frozen.append(True))
    config = {"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url), "RATELIMIT_STORAGE_URI": "memory://"}
    monkeypatch.setenv("GC_FREEZE", "1")
    create_app(config)
    assert frozen == [True]
    create_app({**config, "TESTING": True})  # tests build an app each: never frozen
    monkeypatch.setenv("GC_FREEZE", "0")
    create_app(config)
    assert frozen == [True]


def test_config_error_names_the_fix():
    with pytest.raises(ConfigError, match="at least 32 characters"):
        check_production({"SAMRAD_ENV": "production", "SECRET_KEY": "short"})


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_security_headers_and_cookie_flags(client, admin, auth):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    login = auth.login()
    cookie = login.headers.get("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_inline_script_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag


def test_error_pages_are_swedish(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_english_can_be_chosen(client, forms):
    response = forms.post("/sprak/en", {"next": "/login"}, page="/")
    assert response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in html and "Log in" in html


def test_sqlite_pragmas(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == 256 * 1024 * 1024


def test_plotly_is_served_locally(client):
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200 and len(response.data) > 1_000_000
    response.close()


def test_seed_demo_is_idempotent(runner, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = (db.session.query(Organisation).count(), db.session.query(User).count())
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (db.session.query(Organisation).count(), db.session.query(User).count()) == counts
    assert counts[1] == 4 and counts[0] >= 49


def test_server_error_page_in_swedish_and_json_for_api(database_url):
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "RATELIMIT_STORAGE_URI": "memory://"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    @app.route("/api/v1/boom")
    def api_boom():
        raise RuntimeError("boom")

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Något gick fel" in response.get_data(as_text=True)
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json()["error"] == "server_error"


def test_seed_demo_refuses_in_production(app, runner, monkeypatch, db):
    monkeypatch.setitem(app.config, "SAMRAD_ENV", "production")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "produktion" in result.output
    assert db.session.query(User).count() == 0


def test_lower_folds_swedish_letters_on_every_database(app, db):
    assert db.session.scalar(sa.select(sa.func.lower("ÅÄÖ Förening"))) == "åäö förening"


@pytest.mark.parametrize("proxies, expected", [
    (0, ("127.0.0.1", "http://localhost/where")),
    (1, ("203.0.113.7", "https://samrad.example.se/where")),
])
def test_forwarded_headers_are_trusted_only_behind_a_configured_proxy(database_url, proxies, expected):
    """Rate limits key on the visitor's address and mailed links need https: behind nginx both come from it."""
    app = create_app({"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                      "RATELIMIT_STORAGE_URI": "memory://", "TRUSTED_PROXIES": proxies,
                      "BASE_URL": "https://samrad.example.se"})

    @app.route("/where")
    def where():
        return {"addr": request.remote_addr, "url": url_for("where", _external=True)}

    data = app.test_client().get("/where", headers={
        "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "samrad.example.se",
    }).get_json()
    assert (data["addr"], data["url"]) == expected
