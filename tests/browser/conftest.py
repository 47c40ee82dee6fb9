"""Browser tests: Playwright drives Debian's Chromium against a live server in a thread."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _closing(app):
    """Buffer every response except event streams and close its iterable at once.

    Werkzeug's development server closes the response iterable only after draining the socket; when the
    browser resets the connection first (it does, navigating away), the iterable of a static file is
    never closed and the open file turns up later as an unraisable ResourceWarning in another test.
    """

    def wsgi(environ, start_response):
        seen = {}

        def remember(status, headers, exc_info=None):
            seen["stream"] = any(
                k.lower() == "content-type" and v.startswith("text/event-stream") for k, v in headers
            )
            return start_response(status, headers, exc_info)

        body = app(environ, remember)
        if seen.get("stream"):
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture(scope="session")
def _server(_app):
    server = make_server("127.0.0.1", 0, _closing(_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def live_server(app, _server):
    """Base URL of the running app. Browser tests commit for real (the server thread has its own
    connections), so the app fixture empties every table after them instead of rolling back."""
    return _server


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package (make test does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def login_page(page, live_server):
    """Log a user in through the real form; returns a function(user, password)."""
    from tests.conftest import PASSWORD

    def login(user, password=PASSWORD):
        page.goto(f"{live_server}/login")
        page.get_by_label("E-postadress").fill(user.email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    return login
